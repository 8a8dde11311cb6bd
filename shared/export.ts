import { z } from 'zod';

/**
 * Exports from the console (issue 6): a supervisor asks for the hub's ICS 214 activity log
 * as CSV, JSON or PDF; the console host downloads it over HTTP to a file and pushes
 * progress to the renderer. The hub decides who may export; the console only hides the
 * button from officers.
 */
export const ExportFormat = z.enum(['csv', 'json', 'pdf']);
export type ExportFormat = z.infer<typeof ExportFormat>;

const IsoTime = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date and time');

/** One incident, a time range, or everything (no incident, no range). */
export const StartExportArgs = z
  .object({
    format: ExportFormat,
    incidentId: z.string().min(1).max(100).optional(),
    from: IsoTime.optional(),
    to: IsoTime.optional(),
  })
  .refine((a) => !a.from || !a.to || Date.parse(a.from) <= Date.parse(a.to), {
    message: 'the start of the range must not be after its end',
    path: ['from'],
  });
export type StartExportArgs = z.infer<typeof StartExportArgs>;

export const StartedExport = z.object({ exportId: z.string(), file: z.string() });
export type StartedExport = z.infer<typeof StartedExport>;

export const CancelExportArgs = z.object({ exportId: z.string().min(1).max(100) });

/** The hub names each HTTP export in this response header; the receipt quotes it. */
export const EXPORT_ID_HEADER = 'x-export-id';

/**
 * What the console tells the hub when a download ends (POST /export/receipt, decision 0035):
 * it kept the whole file (its size and SHA-256), or it discarded what came (cancel, failure).
 * The hub audits an export it finished sending only from this, since bytes it handed to the
 * socket may still be in flight when the console cancels.
 */
export const ExportReceipt = z
  .object({
    exportId: z.string().min(1).max(100),
    outcome: z.enum(['received', 'discarded']),
    /** why a file was discarded: the officer cancelled, or it could not be saved (disk full, …) */
    reason: z.enum(['cancelled', 'failed']).optional(),
    bytes: z.number().int().nonnegative(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
  .refine((r) => r.outcome !== 'received' || r.sha256 !== undefined, {
    message: 'a received file needs its sha256',
    path: ['sha256'],
  })
  .refine((r) => r.outcome !== 'discarded' || r.reason !== undefined, {
    message: 'a discarded file needs its reason',
    path: ['reason'],
  });
export type ExportReceipt = z.infer<typeof ExportReceipt>;

export const ExportState = z.enum(['running', 'done', 'failed', 'cancelled']);
export type ExportState = z.infer<typeof ExportState>;

export const ExportProgress = z.object({
  exportId: z.string(),
  format: ExportFormat,
  state: ExportState,
  /** bytes written to the file so far */
  bytes: z.number().int().nonnegative(),
  /** entries (CSV, JSON) or pages (PDF) written so far, and how many the hub said are coming */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  unit: z.enum(['entries', 'pages']),
  /** where the file is (when done) or was going */
  file: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

/** The console's check of the hub's hash chain: the first break it found (shared/audit/chain.ts). */
export const IntegrityAlarm = z.object({
  /** the log seq of the first bad entry */
  seq: z.number().int(),
  entryId: z.string(),
  /** edited: content or chain hash does not match; missing: a seq was skipped; relinked: the
   * link to the entry before is wrong (removed, inserted or moved); unsealed: no hashes */
  reason: z.enum(['edited', 'missing', 'relinked', 'unsealed']),
  detectedAt: z.string(),
});
export type IntegrityAlarm = z.infer<typeof IntegrityAlarm>;

/** ConsoleApi operations answered by the console host (main/console/export.ts), not the replica worker. */
export const EXPORT_OPERATIONS = ['startExport', 'cancelExport'] as const;
export type ExportOperation = (typeof EXPORT_OPERATIONS)[number];
