import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportReceipts, handleExportReceipt, type ExportEnding } from '../../hub/audit/exportReceipts';

/**
 * The hub's side of export receipts (decision 0035) without a whole hub: one ending per export,
 * only the officer who asked may sign it, and a client that goes away mid-body neither crashes
 * the hub (the handler is voided in hub/server.ts) nor ends the export.
 */

const SHA = 'a'.repeat(64);
const received = (exportId: string) => ({ exportId, outcome: 'received' as const, bytes: 10, sha256: SHA });

describe('ExportReceipts', () => {
  afterEach(() => void vi.useRealTimers());

  it('one ending per export: the receipt once, a second one NOT_FOUND, another officer FORBIDDEN', () => {
    const receipts = new ExportReceipts(60_000);
    const endings: ExportEnding[] = [];
    receipts.open('e1', 'Li Hua');
    receipts.sent('e1', (e) => endings.push(e));
    expect(receipts.receive('Ada Okafor', received('e1'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(receipts.receive('li hua', received('e1'))).toBeNull();
    expect(receipts.receive('Li Hua', received('e1'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(endings).toEqual([{ kind: 'received', bytes: 10, sha256: SHA }]);
    expect(receipts.waiting).toBe(0);
  });

  it('a receipt before the hub saw its last write finish is used when it does; none in time is unconfirmed', () => {
    vi.useFakeTimers();
    const receipts = new ExportReceipts(5_000);
    const endings: ExportEnding[] = [];
    receipts.open('early', 'Li Hua');
    expect(receipts.receive('Li Hua', received('early'))).toBeNull();
    expect(receipts.receive('Li Hua', received('early'))).toMatchObject({ code: 'NOT_FOUND' });
    receipts.sent('early', (e) => endings.push(e));
    receipts.open('late', 'Li Hua');
    receipts.sent('late', (e) => endings.push(e));
    vi.advanceTimersByTime(5_000);
    expect(endings).toEqual([
      { kind: 'received', bytes: 10, sha256: SHA },
      { kind: 'unconfirmed', why: 'timeout', waitMs: 5_000 },
    ]);
    expect(receipts.waiting).toBe(0);
  });
});

describe('POST /export/receipt', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it('a client that goes away mid-body: the handler settles without throwing and the export still waits', async () => {
    const receipts = new ExportReceipts(60_000);
    receipts.open('e1', 'Li Hua');
    const handled: Promise<void>[] = [];
    server = createServer((req, res) => {
      handled.push(
        handleExportReceipt(req, res, {
          receipts,
          auth: { verify: async () => ({ name: 'Li Hua', role: 'supervisor', via: 'roster' }) as never },
          count: () => undefined,
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = netConnect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /export/receipt HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer t\r\n' +
        'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"exportId":"e1",',
    );
    await vi.waitFor(() => expect(handled).toHaveLength(1));
    // let the handler get past the token check and into the body before the client goes
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect(handled[0]).resolves.toBeUndefined();
    expect(receipts.waiting).toBe(1);
  });
});
