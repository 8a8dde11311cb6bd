/**
 * Errors cross every boundary (socket, IPC, worker) as values with a stable code
 * and a sentence a duty officer can act on. Codes are part of the protocol:
 * add new ones, never rename.
 */
export const ErrorCodes = [
  'BAD_REQUEST', // input failed its schema
  'UNAUTHORIZED', // no token, or a token the hub did not sign
  'FORBIDDEN', // the role may not do this
  'NOT_FOUND',
  'CONFLICT', // the hub's state refuses the action (already acknowledged, unit committed, ...)
  'STALE_CURSOR', // the console is further behind than the hub keeps; rebuild from a snapshot
  'SCHEMA_MISMATCH', // console and hub speak different protocol versions
  'OFFLINE', // the action needs the hub and the hub is unreachable
  'TIMEOUT',
  'INTERNAL',
  // the console's encrypted replica (issue 7, decision 0025)
  'REPLICA_LOCKED', // the replica cannot be read with the key given (wrong key, or encrypted and no key)
  // importing an MBTiles basemap (issue 5, decision 0019): why a file was refused
  'BASEMAP_UNREADABLE', // no such file, not a file, or no permission to read it
  'BASEMAP_TOO_BIG', // larger than the console accepts
  'BASEMAP_NOT_SQLITE', // not an SQLite database at all
  'BASEMAP_NOT_MBTILES', // SQLite, but without the MBTiles metadata and tiles tables
  'BASEMAP_VECTOR_TILES', // vector (pbf) tiles: the map draws raster tiles only
  'BASEMAP_BAD_METADATA', // format, bounds or zoom levels missing or out of range
  'BASEMAP_NO_TILES', // the tiles table is empty or its tiles are not images
  // signing in (issue 6, decision 0020)
  'RATE_LIMITED', // too many failed sign-ins for a name or from an address; wait and try again
  // sensor telemetry (issue 9, decision 0031): a batch refused at the console's boundary, nothing stored
  'TELEMETRY_BAD_BATCH', // the batch's envelope is wrong (type, version, source, seq, too many readings)
  'TELEMETRY_BAD_READING', // a reading in it is wrong (unknown sensor, unit not the sensor's, bad time or value)
  'TELEMETRY_BAD_LINE', // a line of a recorded telemetry file is not JSON (local second source, issue 9)
  'TELEMETRY_SOURCE_UNAVAILABLE', // the local second source cannot be read or reached; the hub's stream goes on
  // telemetry rules (issue 9, decision 0034)
  'RULES_FILE_INVALID', // a bundled rules file is not JSON or fails the schema: refused whole, the others kept
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
});

/** Thrown inside services; caught by the boundary wrapper and turned into a Result. */
export class WatchfloorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WatchfloorError';
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof WatchfloorError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
