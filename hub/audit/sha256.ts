import { createHash } from 'node:crypto';
import type { Sha256 } from '../../shared/audit/chain';

/** The chain's SHA-256 on Node. */
export const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
