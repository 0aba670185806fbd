// Finds the Chromium that tests, benchmarks and screenshots run in.
// Order: $CHROME_PATH, then `chromium` / `chromium-browser` / `google-chrome` on the PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of CANDIDATES) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) {
        // Debian's /usr/bin/chromium is a shell wrapper; launch the real binary when it is there.
        const real = realpathSync(found);
        if (real.endsWith('/chromium') && existsSync('/usr/lib/chromium/chromium')) {
          return '/usr/lib/chromium/chromium';
        }
        return real;
      }
    } catch {
      /* not on the PATH */
    }
  }
  return undefined;
}

/** Flags for a headless Chromium on a machine with no network and possibly as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];
