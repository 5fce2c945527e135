// Runs first (main.tsx imports it before anything else): takes the API token out of the URL
// and starts the opened page's first reads while the rest of the application loads.
import { getFresh } from './lib/api';
import { firstReads, prefetch } from './lib/prefetch';
import { captureTokenFromUrl } from './lib/token';

captureTokenFromUrl();
prefetch(firstReads(window.location.pathname, window.location.search), getFresh);
