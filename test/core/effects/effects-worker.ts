// An effect worker as a host would write it: one import, one call.
import { serveEffectRequests } from '../../../src/core/index.js';

serveEffectRequests();
