import * as deid from '../../../stories/deid.stories.js';
import * as effects from '../../../stories/effects.stories.js';
import { axeEveryStory } from './run-stories.js';

/** axe over every story of de-identification and the segment-editor effects. */
for (const mod of [deid, effects]) axeEveryStory(mod as never);
