import * as dataset from '../../../stories/dataset.stories.js';
import * as exportPanel from '../../../stories/export.stories.js';
import * as labels from '../../../stories/labels.stories.js';
import { axeEveryStory } from './run-stories.js';

/** axe over every story of the label picker, the export panel and the dataset export. */
for (const mod of [labels, exportPanel, dataset]) axeEveryStory(mod as never);
