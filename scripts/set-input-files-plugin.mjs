// A test-runner command that chooses files in a real <input type="file"> through Playwright's
// `setInputFiles`, as the browser does after the user picks files in the dialog: the input's own,
// non-composed `change` event, with `isTrusted` true. Browser tests call it with
// `executeServerCommand('set-input-files', { selector, files: [{ name, mimeType, base64 }] })`;
// Playwright's CSS selectors pierce open shadow roots.

/** The web-test-runner plugin. */
export function setInputFilesPlugin() {
  return {
    name: 'voxmark-set-input-files',
    async executeCommand({ command, payload, session }) {
      if (command !== 'set-input-files') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error('set-input-files needs the Playwright launcher');
      const { selector, files } = payload;
      await page.setInputFiles(
        selector,
        files.map((f) => ({
          name: f.name,
          mimeType: f.mimeType ?? 'application/octet-stream',
          buffer: Buffer.from(f.base64, 'base64'),
        })),
      );
      return true;
    },
  };
}
