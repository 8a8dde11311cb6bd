import { ConnectionStatus } from '../../shared/api';
import { AlertSummary } from '../../shared/domain/alert';
import { Asset } from '../../shared/domain/asset';

/**
 * Builders for store rows in the shape the console host sends: parsed with the shared
 * schemas, so fields added later with defaults are filled in the way the bridge would.
 */
export function alertRow(id: string, over: Partial<AlertSummary> = {}): AlertSummary {
  return AlertSummary.parse({
    id,
    identifier: id,
    sender: 'sensors@port-halden.example',
    sent: '2026-11-28T10:00:00+00:00',
    status: 'Actual',
    msgType: 'Alert',
    event: 'River level high',
    headline: `Headline ${id}`,
    severity: 'Moderate',
    urgency: 'Expected',
    certainty: 'Likely',
    center: { lat: 1, lon: 2 },
    bbox: null,
    receivedSeq: 1,
    receivedAt: '2026-11-28T10:00:01+00:00',
    ack: null,
    pendingAck: false,
    ...over,
  });
}

export function assetRow(id: string, over: Partial<Asset> = {}): Asset {
  return Asset.parse({
    id,
    kind: 'bridge',
    name: `Bridge ${id}`,
    district: 'Harbour',
    criticality: 3,
    location: { lat: 1, lon: 2 },
    ...over,
  });
}

export function statusRow(over: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return ConnectionStatus.parse({
    state: 'online',
    since: '2026-11-28T10:00:00+00:00',
    hubUrl: 'http://127.0.0.1:1',
    cursor: 10,
    head: 10,
    pendingActions: 0,
    officer: { name: 'A. Officer', role: 'officer' },
    lastError: null,
    ...over,
  });
}
