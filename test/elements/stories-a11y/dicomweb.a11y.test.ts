import * as dicomweb from '../../../stories/dicomweb.stories.js';
import { axeEveryStory } from './run-stories.js';

/**
 * axe over every DICOMweb story. They read the test PACS (started by the first request to /__pacs__/status);
 * without one they show how to start it, and that page is checked instead.
 */
before(async function () {
  this.timeout(120_000);
  await fetch('/__pacs__/status');
});
axeEveryStory(dicomweb as never);
