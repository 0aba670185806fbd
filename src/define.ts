/**
 * Registers every voxmark element. The only module in voxmark with side effects.
 */
export {};
import { VxViewer } from './elements/vx-viewer.js';
if (!customElements.get('vx-viewer')) customElements.define('vx-viewer', VxViewer);
