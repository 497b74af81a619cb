/**
 * Debian's Chromium for the browser tests (Playwright cannot download its own browsers here; npm test
 * installs the `chromium` package). The flags keep it from reaching for the network on its own.
 */
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
