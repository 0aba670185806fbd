import type { StorybookConfig } from '@storybook/web-components-vite';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The reference corpus, when it sits beside the project, is served at /corpus/ for the stories that show it.
const corpus = resolve(process.env.VOXMARK_CORPUS ?? resolve(here, '..', '..', 'shared', 'corpus'));

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts', '../stories/**/*.mdx'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  staticDirs: existsSync(corpus) ? [{ from: corpus, to: '/corpus' }] : [],
};
export default config;
