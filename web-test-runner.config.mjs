import { playwrightLauncher } from '@web/test-runner-playwright';
import { findChromium, CHROMIUM_ARGS } from './scripts/chromium.mjs';
import { defaultReporter } from '@web/test-runner';
import { devServerPlugins } from './scripts/dev-server-plugins.mjs';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { checkToolsMiddleware } from './scripts/check-tools-plugin.mjs';
import { pacsServer } from './scripts/orthanc-plugin.mjs';
import { setInputFilesPlugin } from './scripts/set-input-files-plugin.mjs';

const executablePath = findChromium();
// Orthanc for the DICOMweb tests: started when a test first asks for it, stopped with the server.
const pacs = pacsServer();

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  plugins: [...devServerPlugins(), pacs.plugin, setInputFilesPlugin()],
  middleware: [checkToolsMiddleware(), pacs.middleware],
  reporters: [defaultReporter(), summaryReporter()],
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 300_000,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  testFramework: {
    config: { timeout: 20_000 },
  },
};
