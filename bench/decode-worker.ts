// The decode worker of the image bench, as a host writes one: one import, one call.
import { serveDecodeRequests } from '../src/core/index.js';

serveDecodeRequests();
