import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

/** Client-made ids are UUIDv7: time-ordered, so outbox rows sort the way they were made. */
export const newId = (): string => uuidv7();

export const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a UUID');
