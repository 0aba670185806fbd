import * as viewer from '../../../stories/viewer.stories.js';
import { axeEveryStory } from './run-stories.js';

/** axe over every story of the viewer. */
axeEveryStory(viewer as never);
