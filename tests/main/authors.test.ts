import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Authors, claimsOfToken } from '../../main/sync/authors';

/**
 * Which token an outbox row is sent with (decision 0036): its maker's. The console reads the
 * name and expiry only (the hub verifies); a row whose maker's token is gone or expired is not
 * sendable, never sent on another officer's connection.
 */
const NOW = Date.parse('2026-03-14T21:00:00Z');
const secret = new TextEncoder().encode('not the hub secret; the console never verifies');
const token = (name: string, expSec?: number) => {
  const jwt = new SignJWT({ name, role: 'officer' }).setProtectedHeader({ alg: 'HS256' });
  return (expSec === undefined ? jwt : jwt.setExpirationTime(expSec)).sign(secret);
};

describe('the author of an outbox row', () => {
  it('reads the officer key and expiry of a token, and nothing from garbage', async () => {
    expect(claimsOfToken(await token('  Ada Okafor ', NOW / 1000 + 60))).toEqual({
      key: 'ada okafor',
      expiresAt: NOW + 60_000,
    });
    expect(claimsOfToken('not-a-token')).toBeNull();
    expect(claimsOfToken(await token(''))).toBeNull();
  });

  it("sends the connection's officer's rows on the connection, another's with their own live token, else not at all", async () => {
    const ben = await token('Ben Ito', NOW / 1000 + 3_600);
    const ada = await token('Ada Okafor', NOW / 1000 + 60);
    const old = await token('Cai Lun', NOW / 1000 - 1);
    const authors = new Authors(ben, [ada, old, ben, 'garbage']);
    expect(authors.connection).toBe('ben ito');
    expect(authors.sendAs('ben ito', NOW)).toEqual({ kind: 'connection' });
    expect(authors.sendAs(null, NOW)).toEqual({ kind: 'connection' }); // rows from before schema 13
    expect(authors.sendAs('ada okafor', NOW)).toEqual({ kind: 'own-token', token: ada });
    expect(authors.sendAs('ada okafor', NOW + 61_000)).toMatchObject({
      kind: 'undeliverable',
      message: expect.stringMatching(/made by ada okafor, whose sign-in at this console expired/),
    });
    expect(authors.sendAs('cai lun', NOW)).toMatchObject({ kind: 'undeliverable' });
    expect(authors.sendAs('dana ruiz', NOW)).toMatchObject({
      kind: 'undeliverable',
      message: expect.stringMatching(/ended before the hub could be reached/),
    });
  });

  it("keeps an officer's longest-lived token", async () => {
    const short = await token('Ada Okafor', NOW / 1000 + 60);
    const long = await token('Ada Okafor', NOW / 1000 + 7_200);
    const authors = new Authors(await token('Ben Ito', NOW / 1000 + 3_600), [long, short]);
    expect(authors.sendAs('ada okafor', NOW + 120_000)).toEqual({ kind: 'own-token', token: long });
  });
});
