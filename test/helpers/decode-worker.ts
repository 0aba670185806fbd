// A decode worker as a host would write it: one import, one call.
import { serveDecodeRequests } from '../../src/core/index.js';

serveDecodeRequests();
