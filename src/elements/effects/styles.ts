import { css } from 'lit';

export const effectsStyles = css`
  :host {
    display: block;
    font:
      13px/1.4 system-ui,
      sans-serif;
    color: var(--vx-effects-color, #e8e8e8);
    background: var(--vx-effects-background, #1f2125);
    padding: 8px;
    min-width: 220px;
  }
  fieldset {
    border: 1px solid #3a3d44;
    border-radius: 4px;
    margin: 0 0 8px;
    padding: 6px 8px;
  }
  legend {
    font-weight: 600;
    padding: 0 4px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    align-items: center;
    margin: 2px 0;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
    background: #2c2f36;
    border: 1px solid #4a4e57;
    border-radius: 3px;
    padding: 2px 6px;
  }
  input[type='number'] {
    width: 5em;
  }
  button:hover:not(:disabled) {
    background: #383c45;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 2px solid #6aa9ff;
    outline-offset: 1px;
  }
  button:disabled {
    opacity: 0.5;
  }
  kbd {
    font-size: 11px;
    opacity: 0.7;
  }
  .target {
    margin-bottom: 6px;
  }
  .preview {
    border-color: #6aa9ff;
  }
  progress {
    width: 100%;
  }
  [role='alert'] {
    color: #ff8a80;
  }
`;
