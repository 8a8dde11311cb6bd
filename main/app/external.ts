/**
 * Which links may leave the console for the operating system's browser
 * (`shell.openExternal`, Electron security checklist #15). Only https, only hosts
 * on an explicit list (`--external-hosts` / WATCHFLOOR_EXTERNAL_HOSTS, e.g. the
 * weather service's pages linked from CAP alerts), no credentials, no other port.
 * Everything else is refused: file:, javascript:, custom schemes and plain http
 * would hand an attacker-chosen program or page to the OS.
 */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.port !== '') return false;
  const host = parsed.hostname.toLowerCase();
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host);
}

/** `a.example, b.example` → ['a.example', 'b.example']; anything that is not a plain host name is dropped. */
export function parseExternalHosts(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(h));
}
