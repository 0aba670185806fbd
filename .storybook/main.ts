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
  // The DICOMweb stories read the Orthanc of `npm run pacs` through the dev server: same origin, no CORS.
  viteFinal: async (vite) => {
    const pacs = `http://127.0.0.1:${process.env.VOXMARK_PACS_PORT ?? 8042}`;
    vite.server = { ...vite.server, proxy: { ...vite.server?.proxy, '/dicom-web': pacs } };
    return vite;
  },
};
export default config;
