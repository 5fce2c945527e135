// Runs first (main.tsx imports it before anything else): takes the API token out of the URL
// and starts the opened page's first reads while the rest of the application loads.
import { CONFIG_SUMMARY, getFresh } from './lib/api';
import { firstReads, prefetch } from './lib/prefetch';
import { captureTokenFromUrl } from './lib/token';
import { needsTimezone } from './hooks/serverConfig';

captureTokenFromUrl();
const reads = firstReads(window.location.pathname, window.location.search);
// A first visit needs the display timezone: the small summary, not the megabytes of codes.
if (needsTimezone()) reads.push(CONFIG_SUMMARY);
prefetch(reads, getFresh);
