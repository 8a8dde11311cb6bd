import { existsSync } from 'node:fs';

/**
 * Debian's Chromium, since Playwright cannot download its own browsers here.
 * WATCHFLOOR_CHROMIUM overrides the path.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // As the Electron shell's autoplayPolicy: the alert sounds play before anyone clicks (decision 0027).
  '--autoplay-policy=no-user-gesture-required',
];

export function chromiumExecutable(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const candidate = env.WATCHFLOOR_CHROMIUM?.trim() || '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `Chromium was not found at ${candidate}: install it (apt-get install -y chromium) or set WATCHFLOOR_CHROMIUM to its path.`,
    );
  }
  return candidate;
}

export function chromiumLaunchOptions(headless: boolean) {
  return { executablePath: chromiumExecutable(), args: [...CHROMIUM_ARGS], headless };
}
