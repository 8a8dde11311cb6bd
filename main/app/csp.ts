/**
 * The Content-Security-Policy of every Watchfloor window. Pure data, no Electron:
 * the Electron shell sends it as a header from the `app://` protocol, and the e2e
 * harness sends the very same header, so the production bundle is tested under it.
 *
 * - `script-src 'self'`: only our bundled scripts; no eval, no inline script.
 * - `style-src 'self'`: no 'unsafe-inline'. React `style` props and Leaflet's
 *   positioning write through the CSSOM (element.style.x = ...), which CSP does not
 *   govern; only <style> blocks and style="" attributes in markup need
 *   'unsafe-inline', and the renderer has neither. Keeping it out closes CSS
 *   injection (attribute-selector exfiltration) if any text ever reached markup.
 * - `connect-src 'none'`: the renderer talks only through window.watchfloor (IPC);
 *   it never opens a socket or fetch of its own. The hub is reached by main.
 * - `img-src 'self' data:`: bundled images and Leaflet's data: URIs.
 * - `worker-src 'self'`: bundled web workers (map clustering off the main thread).
 * - `media-src 'self'`: the bundled alert sounds (assets/sounds, played with
 *   HTMLAudioElement; decision 0027). Nothing from elsewhere, no data: or blob:.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'worker-src': ["'self'"],
  'media-src': ["'self'"],
  'connect-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

export function contentSecurityPolicy(
  directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES,
): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
