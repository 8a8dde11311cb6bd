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

/**
 * Who may do what beyond the mutation's role list (issue 6; decision 0021). The hub
 * enforces these; the console uses them only to show or hide a control.
 * - exports and the audit view: supervisors only;
 * - closing an incident: its commander, or a supervisor;
 * - handing command to someone else: the commander, or a supervisor;
 * - feeds post alerts (POST /cap) and nothing else.
 */
export const SUPERVISOR_ONLY = ['export', 'audit.view'] as const;
export type SupervisorAction = (typeof SUPERVISOR_ONLY)[number];

export const isSupervisor = (who: { readonly role: Role }): boolean => who.role === 'supervisor';

/** An officer commands an incident when the incident names them (by name, case-insensitive). */
export const commands = (who: { readonly name: string }, incident: { readonly commanderName: string }): boolean =>
  who.name.trim().toLowerCase() === incident.commanderName.trim().toLowerCase();

/** Position, agency and role as the roster issues them (the sign-in answer, the StatusBar). */
export const OfficerProfile = z.object({
  name: z.string().trim().min(1).max(200),
  role: Role,
  position: z.string().trim().max(200).optional(),
  agency: z.string().trim().max(200).optional(),
});
export type OfficerProfile = z.infer<typeof OfficerProfile>;
