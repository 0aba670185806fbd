import * as annotation from '../../../stories/annotation.stories.js';
import * as boxLayer from '../../../stories/box-layer.stories.js';
import * as intro from '../../../stories/intro.stories.js';
import * as maskLayer from '../../../stories/mask-layer.stories.js';
import * as polygonLayer from '../../../stories/polygon-layer.stories.js';
import * as toolbar from '../../../stories/toolbar.stories.js';
import { axeEveryStory } from './run-stories.js';

/** axe over every story of the annotation layers, the toolbar and the workbench. */
for (const mod of [annotation, boxLayer, maskLayer, polygonLayer, toolbar, intro])
  axeEveryStory(mod as never);
