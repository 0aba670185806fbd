/**
 * Styles the toolbar and the label picker share.
 * @module
 */
import { css } from 'lit';

/** `.sr-only`: text for screen readers only (kept in the accessibility tree, not shown). */
export const srOnly = css`
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
