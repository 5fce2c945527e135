// Where the end-to-end tests find what they drive: the vigil binary, the built console and
// Chromium. CTest passes the first two (tests/CMakeLists.txt); by hand they default to the
// repository's `build/` directory (`make build`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.resolve(E2E_DIR, '..', '..');

export const VIGIL_BINARY = process.env.VIGIL_BINARY || path.join(REPO_DIR, 'build', 'vigil');
export const WEB_ROOT = process.env.VIGIL_WEB_ROOT || path.join(path.dirname(VIGIL_BINARY), 'web');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Fails early, with what to do, when a piece is missing.
export function checkPrerequisites() {
  const missing = [];
  if (!fs.existsSync(VIGIL_BINARY)) missing.push(`the vigil binary ${VIGIL_BINARY} (make build)`);
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    missing.push(`the built console ${WEB_ROOT}/index.html (make build)`);
  }
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (bash scripts/install-deps.sh)`);
  if (missing.length) throw new Error(`end-to-end tests cannot run without ${missing.join(', ')}`);
}
