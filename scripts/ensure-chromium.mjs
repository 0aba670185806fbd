// pretest / prebench: make sure a Chromium is available, installing Debian's package when we can.
import { execFileSync } from 'node:child_process';
import { findChromium } from './chromium.mjs';

function tryAptInstall() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasApt = false;
  try {
    execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' });
    hasApt = true;
  } catch {
    hasApt = false;
  }
  if (!isRoot || !hasApt) return false;
  console.log('voxmark: Chromium not found; installing Debian package "chromium" with apt-get…');
  try {
    execFileSync(
      'sh',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
      {
        stdio: 'inherit',
      },
    );
    return true;
  } catch {
    return false;
  }
}

let path = findChromium();
if (!path && tryAptInstall()) path = findChromium();
if (!path) {
  console.error(
    'voxmark: no Chromium found. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROME_PATH to a Chrome/Chromium binary.',
  );
  process.exit(1);
}
console.log(`voxmark: using Chromium at ${path}`);
