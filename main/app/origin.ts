/** The renderer is served from this origin and nothing else (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'watchfloor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` belongs to our app:// origin. Compares scheme and host rather
 * than `URL.origin`, which the WHATWG URL parser reports as "null" for schemes
 * it does not know (Node's parser does not know that Chromium treats app:// as
 * standard).
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === ''
  );
}
