/**
 * Registers every voxmark element. The only module in voxmark with side effects.
 */
export {};
import { VxViewer } from './elements/vx-viewer.js';
if (!customElements.get('vx-viewer')) customElements.define('vx-viewer', VxViewer);
import { VxBoxLayer } from './elements/vx-box-layer.js';
import { VxPolygonLayer } from './elements/vx-polygon-layer.js';
import { VxMaskLayer } from './elements/vx-mask-layer.js';
import { VxToolbar } from './elements/vx-toolbar.js';
import { documentForStack } from './elements/layers/annotation-session.js';
// Every stack a viewer loads gets an AnnotationDocument (hosts may still set viewer.document themselves).
VxViewer.createDocument ??= documentForStack;
if (!customElements.get('vx-box-layer')) customElements.define('vx-box-layer', VxBoxLayer);
if (!customElements.get('vx-polygon-layer')) customElements.define('vx-polygon-layer', VxPolygonLayer);
if (!customElements.get('vx-mask-layer')) customElements.define('vx-mask-layer', VxMaskLayer);
if (!customElements.get('vx-toolbar')) customElements.define('vx-toolbar', VxToolbar);
import { VxLabelPicker } from './elements/vx-label-picker.js';
if (!customElements.get('vx-label-picker')) customElements.define('vx-label-picker', VxLabelPicker);
import { VxExportPanel } from './elements/vx-export-panel.js';
if (!customElements.get('vx-export-panel')) customElements.define('vx-export-panel', VxExportPanel);
