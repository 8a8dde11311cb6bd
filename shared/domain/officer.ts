import { z } from 'zod';

/** Roles the hub signs into tokens and enforces. A `feed` posts alerts; it is not a person. */
export const Role = z.enum(['officer', 'supervisor', 'feed']);
export type Role = z.infer<typeof Role>;

/** Who did something, as recorded on the hub's log. */
export const Actor = z.object({
  name: z.string().min(1).max(200),
  role: Role,
  /** ICS position, e.g. "Duty Officer", "EOC Supervisor". */
  position: z.string().max(200).optional(),
  consoleId: z.string().max(100).optional(),
});
export type Actor = z.infer<typeof Actor>;
