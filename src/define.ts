/**
 * Registers every voxmark element. The only module in voxmark with side effects:
 * `import 'voxmark/define.js'` once, before using the tags.
 */
import { VxViewer } from './elements/vx-viewer.js';
import { VxBoxLayer } from './elements/vx-box-layer.js';
import { VxPolygonLayer } from './elements/vx-polygon-layer.js';
import { VxMaskLayer } from './elements/vx-mask-layer.js';
import { VxToolbar } from './elements/vx-toolbar.js';
import { VxLabelPicker } from './elements/vx-label-picker.js';
import { VxExportPanel } from './elements/vx-export-panel.js';
import { VxStudyBrowser } from './elements/vx-study-browser.js';
import { VxMeasureLayer } from './elements/vx-measure-layer.js';
import { VxMpr } from './elements/vx-mpr.js';
import { VxSegmentEffects } from './elements/vx-segment-effects.js';
import { VxAnnotationList } from './elements/vx-annotation-list.js';
import { VxHotkeys } from './elements/vx-hotkeys.js';

const elements: [string, CustomElementConstructor][] = [
  ['vx-viewer', VxViewer],
  ['vx-box-layer', VxBoxLayer],
  ['vx-polygon-layer', VxPolygonLayer],
  ['vx-mask-layer', VxMaskLayer],
  ['vx-toolbar', VxToolbar],
  ['vx-label-picker', VxLabelPicker],
  ['vx-export-panel', VxExportPanel],
  ['vx-study-browser', VxStudyBrowser],
  ['vx-measure-layer', VxMeasureLayer],
  ['vx-mpr', VxMpr],
  ['vx-segment-effects', VxSegmentEffects],
  ['vx-annotation-list', VxAnnotationList],
  ['vx-hotkeys', VxHotkeys],
];
// Defining twice throws; a page may load voxmark's define module from two bundles.
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);
