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
 * The key an officer's actions are attributed by (decision 0036): the name trimmed and
 * lower-cased, as roster names are unique without regard to case.
 */
export const officerKey = (name: string): string => name.trim().toLowerCase();

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

// ── signing in and handing over (issue 6, decision 0020): HTTP bodies, parsed on both sides ──

export const SignInRequest = z.object({
  name: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1_024),
  /** the console signing in: its last handover note comes back */
  consoleId: z.string().min(1).max(100).optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** What a signing-out officer leaves for the next one at the same console. */
export const HandoverInput = z.object({
  /** the note itself: open incidents, pending actions, things to watch (prefilled, edited) */
  note: z.string().trim().min(1).max(4_000),
  /** labels of the incidents open at sign-out, e.g. "INC-0003 Harbour bridge (active)" */
  openIncidents: z.array(z.string().max(300)).max(200).default([]),
  /** actions still waiting for the hub at sign-out */
  pendingActions: z.number().int().nonnegative().default(0),
});
export type HandoverInput = z.infer<typeof HandoverInput>;

export const HandoverNote = HandoverInput.extend({
  consoleId: z.string().max(100),
  from: OfficerProfile,
  at: z.string(),
  /** the note's entry on the chained activity log (null while it waits to reach the hub) */
  logSeq: z.number().int().positive().nullable(),
});
export type HandoverNote = z.infer<typeof HandoverNote>;

export const SignInAnswer = z.object({
  token: z.string().min(1).max(10_000),
  officer: OfficerProfile,
  /** ISO 8601: the token's end; the console signs in again after it */
  expiresAt: z.string(),
  handover: HandoverNote.nullable(),
});
export type SignInAnswer = z.infer<typeof SignInAnswer>;

export const SignOutRequest = z.object({
  consoleId: z.string().min(1).max(100).optional(),
  handover: HandoverInput.optional(),
  /** when the officer signed out (the console may deliver a sign-out made offline later) */
  at: z.string().max(40).optional(),
});
export type SignOutRequest = z.infer<typeof SignOutRequest>;

export const SignOutAnswer = z.object({ ok: z.literal(true), logSeq: z.number().int().positive() });
export type SignOutAnswer = z.infer<typeof SignOutAnswer>;

/**
 * The console's sign-in state, as the renderer sees it (ConsoleApi `getSession`).
 * `via`: 'token' — started with --token (CLI, tests, harness); 'hub' — signed in with the
 * hub; 'cache' — signed in offline with this console's cached credential, the role not yet
 * re-checked by the hub (it is as soon as the hub answers).
 */
export const SessionState = z.object({
  consoleId: z.string(),
  officer: OfficerProfile.nullable(),
  via: z.enum(['token', 'hub', 'cache']).nullable(),
  expiresAt: z.string().nullable(),
  /** the handover note left at this console for the officer now signing in (or signed in) */
  handover: HandoverNote.nullable(),
  /** sign-outs made offline whose handover has not reached the hub yet */
  pendingSignOuts: z.number().int().nonnegative(),
  /** why the console signed the officer out or refused the cached credential, in words */
  notice: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SessionState = z.infer<typeof SessionState>;

export const SignInArgs = SignInRequest.omit({ consoleId: true });
export type SignInArgs = z.infer<typeof SignInArgs>;
export const SignOutArgs = z.object({ handover: HandoverInput.optional() });
export type SignOutArgs = z.infer<typeof SignOutArgs>;

/** ConsoleApi operations the session host answers (main/console/sessionHost.ts), never the replica worker. */
export const SESSION_OPERATIONS = ['getSession', 'signIn', 'signOut'] as const;
export type SessionOperation = (typeof SESSION_OPERATIONS)[number];
