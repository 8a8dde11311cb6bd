import { formatIncidentNumber, IncidentStatuses, type IncidentStatus } from '../../shared/domain/incident';
import { UNIT_TRANSITIONS } from '../../shared/domain/statusMachines';
import type { StepState } from '../../shared/domain/checklist';
import { UnitStatuses, type UnitStatus } from '../../shared/domain/unit';
import type { PopoutPanel } from '../../shared/api';

/**
 * The command bar's language, parsed without touching the store or the DOM:
 *
 *   dispatch E12 A3 INC-0042    reassign E12 INC-0042    release E12
 *   status U7 onscene           status INC-0042 active   close INC-0042
 *   ack    log <text>    open incident [title]    step 3 done [remark]
 *   show INC-0042    alerts | incidents | units    help
 *   mute | unmute    popout map | queue | incidents | units    audit (supervisors)
 *   rules (supervisors: the telemetry rules editor)
 *
 * Where an incident is optional (dispatch, log, step, close) the selected one is meant.
 */

export type Command =
  | { kind: 'dispatch'; unitIds: string[]; incident: string | null; reassign: boolean }
  | { kind: 'release'; unitId: string }
  | { kind: 'unitStatus'; unitId: string; status: UnitStatus }
  | { kind: 'incidentStatus'; incident: string | null; status: IncidentStatus }
  | { kind: 'ack' }
  | { kind: 'log'; text: string }
  | { kind: 'openIncident'; title: string }
  | { kind: 'step'; step: string; state: StepState; remark: string }
  | { kind: 'show'; incident: string }
  | { kind: 'board'; board: 'alerts' | 'incidents' | 'units' }
  | { kind: 'help' }
  | { kind: 'mute'; muted: boolean }
  | { kind: 'popout'; panel: PopoutPanel }
  | { kind: 'audit' }
  | { kind: 'rules' };

/** An error is an i18n key under `command.error` and its values, so the bar says it in the officer's language. */
export interface CommandError {
  key:
    | 'empty'
    | 'unknownVerb'
    | 'needUnit'
    | 'needIncident'
    | 'needStatus'
    | 'badStatus'
    | 'needText'
    | 'needStep'
    | 'badStepState'
    | 'unknownUnit'
    | 'needPanel';
  values?: Record<string, string>;
}

export type ParseResult = { ok: true; command: Command } | { ok: false; error: CommandError };

/** What the parser may check names against and complete from. */
export interface CommandContext {
  readonly unitIds: readonly string[];
  readonly incidentNumbers: readonly string[];
  /** the selected incident's checklist step ids, in SOP order */
  readonly stepIds: readonly string[];
}

export const verbs = [
  'dispatch',
  'reassign',
  'release',
  'status',
  'ack',
  'log',
  'open',
  'activate',
  'contain',
  'close',
  'step',
  'show',
  'alerts',
  'incidents',
  'units',
  'help',
  'mute',
  'unmute',
  'popout',
  'audit',
  'rules',
] as const;
export type Verb = (typeof verbs)[number];

const verbAliases: Readonly<Record<string, Verb>> = {
  d: 'dispatch',
  disp: 'dispatch',
  rel: 'release',
  st: 'status',
  s: 'status',
  a: 'ack',
  acknowledge: 'ack',
  l: 'log',
  new: 'open',
  go: 'show',
  '?': 'help',
  silence: 'mute',
  pop: 'popout',
};

/** Words for the panels that pop out into a window of their own. */
const panelWords: Readonly<Record<string, PopoutPanel>> = {
  map: 'map',
  queue: 'queue',
  alerts: 'queue',
  alert: 'queue',
  incidents: 'incidents',
  incident: 'incidents',
  units: 'units',
  unit: 'units',
};
export const panelCompletions = ['map', 'queue', 'incidents', 'units'] as const;

/** Words officers say for unit statuses (radio codes vary by service; these are the common ones). */
const unitStatusWords: Readonly<Record<string, UnitStatus>> = {
  available: 'available',
  avail: 'available',
  av: 'available',
  inservice: 'available',
  enroute: 'en-route',
  'en-route': 'en-route',
  er: 'en-route',
  responding: 'en-route',
  onscene: 'on-scene',
  'on-scene': 'on-scene',
  os: 'on-scene',
  arrived: 'on-scene',
  clearing: 'clearing',
  clr: 'clearing',
  oos: 'out-of-service',
  'out-of-service': 'out-of-service',
  outofservice: 'out-of-service',
};
/** What the bar offers when completing a unit status, one word each. */
export const unitStatusCompletions = ['enroute', 'onscene', 'clearing', 'available', 'oos'] as const;

const stepStateWords: Readonly<Record<string, StepState>> = {
  done: 'done',
  d: 'done',
  ok: 'done',
  na: 'na',
  'n/a': 'na',
  'n.a.': 'na',
  open: 'open',
  reopen: 'open',
};
export const stepStateCompletions = ['done', 'na', 'open'] as const;

const INCIDENT_RE = /^(?:inc-?)?(\d{1,6})$/i;
const UNIT_RE = /^[a-z]{1,4}\d{1,4}$/i;

/** INC-0042, inc-42, inc42, 42 → INC-0042; anything else → null. */
export function incidentNumberOf(token: string): string | null {
  const m = INCIDENT_RE.exec(token);
  return m ? formatIncidentNumber(Number(m[1])) : null;
}

export const isUnitToken = (token: string): boolean => UNIT_RE.test(token);

export function unitStatusOf(word: string): UnitStatus | null {
  return unitStatusWords[word.toLowerCase()] ?? null;
}

export function incidentStatusOf(word: string): IncidentStatus | null {
  const w = word.toLowerCase();
  return (IncidentStatuses as readonly string[]).includes(w) ? (w as IncidentStatus) : null;
}

export function verbOf(word: string): Verb | null {
  const w = word.toLowerCase();
  if ((verbs as readonly string[]).includes(w)) return w as Verb;
  return verbAliases[w] ?? null;
}

const words = (input: string): string[] => input.trim().split(/\s+/).filter(Boolean);

/** The rest of the input after the first `n` words, spacing kept. */
function restAfter(input: string, n: number): string {
  let rest = input.trimStart();
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, '');
  return rest.trim();
}

export function parseCommand(input: string, ctx: CommandContext): ParseResult {
  const w = words(input);
  if (w.length === 0) return { ok: false, error: { key: 'empty' } };
  const verb = verbOf(w[0]!);
  if (!verb) return { ok: false, error: { key: 'unknownVerb', values: { word: w[0]! } } };
  const args = w.slice(1);
  const knownUnit = (token: string): string | CommandError => {
    const id = token.toUpperCase();
    if (!isUnitToken(token)) return { key: 'needUnit' };
    if (ctx.unitIds.length > 0 && !ctx.unitIds.includes(id)) return { key: 'unknownUnit', values: { unit: id } };
    return id;
  };
  const fail = (error: CommandError): ParseResult => ({ ok: false, error });
  const ok = (command: Command): ParseResult => ({ ok: true, command });

  switch (verb) {
    case 'dispatch':
    case 'reassign': {
      const unitIds: string[] = [];
      let incident: string | null = null;
      for (const token of args) {
        const number = incidentNumberOf(token);
        if (number) {
          incident = number;
          continue;
        }
        const unit = knownUnit(token);
        if (typeof unit !== 'string') return fail(unit);
        if (!unitIds.includes(unit)) unitIds.push(unit);
      }
      if (unitIds.length === 0) return fail({ key: 'needUnit' });
      return ok({ kind: 'dispatch', unitIds, incident, reassign: verb === 'reassign' });
    }
    case 'release': {
      if (!args[0]) return fail({ key: 'needUnit' });
      const unit = knownUnit(args[0]);
      return typeof unit === 'string' ? ok({ kind: 'release', unitId: unit }) : fail(unit);
    }
    case 'status': {
      const [target, word] = args;
      if (!target) return fail({ key: 'needUnit' });
      const number = incidentNumberOf(target);
      if (number) {
        if (!word) return fail({ key: 'needStatus' });
        const status = incidentStatusOf(word);
        return status
          ? ok({ kind: 'incidentStatus', incident: number, status })
          : fail({ key: 'badStatus', values: { word } });
      }
      const unit = knownUnit(target);
      if (typeof unit !== 'string') return fail(unit);
      if (!word) return fail({ key: 'needStatus' });
      const status = unitStatusOf(word);
      return status ? ok({ kind: 'unitStatus', unitId: unit, status }) : fail({ key: 'badStatus', values: { word } });
    }
    case 'activate':
    case 'contain':
    case 'close': {
      const status: IncidentStatus = verb === 'activate' ? 'active' : verb === 'contain' ? 'contained' : 'closed';
      const incident = args[0] ? incidentNumberOf(args[0]) : null;
      if (args[0] && !incident) return fail({ key: 'needIncident' });
      return ok({ kind: 'incidentStatus', incident, status });
    }
    case 'ack':
      return ok({ kind: 'ack' });
    case 'log': {
      const text = restAfter(input, 1);
      return text ? ok({ kind: 'log', text }) : fail({ key: 'needText' });
    }
    case 'open': {
      // "open incident Bridge alarm on Harbour Bridge": the word "incident" is optional.
      const skip = args[0]?.toLowerCase() === 'incident' ? 2 : 1;
      return ok({ kind: 'openIncident', title: restAfter(input, skip) });
    }
    case 'step': {
      const [ref, stateWord] = args;
      if (!ref) return fail({ key: 'needStep' });
      const step = /^\d+$/.test(ref) ? (ctx.stepIds[Number(ref) - 1] ?? null) : ref.toLowerCase();
      if (!step || (ctx.stepIds.length > 0 && !ctx.stepIds.includes(step)))
        return fail({ key: 'needStep', values: { step: ref } });
      const state = stateWord ? (stepStateWords[stateWord.toLowerCase()] ?? null) : 'done';
      if (!state) return fail({ key: 'badStepState', values: { word: stateWord ?? '' } });
      return ok({ kind: 'step', step, state, remark: stateWord ? restAfter(input, 3) : '' });
    }
    case 'show': {
      const incident = args[0] ? incidentNumberOf(args[0]) : null;
      return incident ? ok({ kind: 'show', incident }) : fail({ key: 'needIncident' });
    }
    case 'alerts':
    case 'incidents':
    case 'units':
      return ok({ kind: 'board', board: verb });
    case 'help':
      return ok({ kind: 'help' });
    case 'audit':
      return ok({ kind: 'audit' });
    case 'rules':
      return ok({ kind: 'rules' });
    case 'mute':
    case 'unmute':
      return ok({ kind: 'mute', muted: verb === 'mute' });
    case 'popout': {
      const panel = args[0] ? panelWords[args[0].toLowerCase()] : undefined;
      return panel ? ok({ kind: 'popout', panel }) : fail({ key: 'needPanel' });
    }
  }
}

// ---- completion ------------------------------------------------------------------------

const MAX_SUGGESTIONS = 8;

/**
 * Whole command lines the officer may mean, for the word being typed (the last one, or
 * a new one after a space). Accepting a suggestion replaces the input with it.
 */
export function suggestCommands(input: string, ctx: CommandContext): string[] {
  const endsWithSpace = /\s$/.test(input);
  const w = words(input);
  const done = endsWithSpace ? w : w.slice(0, -1);
  const partial = endsWithSpace ? '' : (w[w.length - 1] ?? '');
  const head = done.length ? `${done.join(' ')} ` : '';
  const complete = (candidates: readonly string[]): string[] => {
    const p = partial.toLowerCase();
    const out: string[] = [];
    for (const c of candidates) {
      if (c.toLowerCase().startsWith(p) && c.toLowerCase() !== p) out.push(`${head}${c} `);
      if (out.length >= MAX_SUGGESTIONS) break;
    }
    return out;
  };

  if (done.length === 0) return complete(verbs);
  const verb = verbOf(done[0]!);
  if (!verb) return [];
  const position = done.length; // index of the word being typed
  const rest = done.slice(1);
  switch (verb) {
    case 'dispatch':
    case 'reassign': {
      const named = new Set(rest.map((t) => t.toUpperCase()));
      const hasIncident = rest.some((t) => incidentNumberOf(t) !== null);
      const units = ctx.unitIds.filter((id) => !named.has(id));
      // After a unit, offer incidents first: "dispatch E12 " → "dispatch E12 INC-0042".
      const incidents = hasIncident ? [] : ctx.incidentNumbers;
      return complete(rest.length > 0 && partial === '' ? [...incidents, ...units] : [...units, ...incidents]);
    }
    case 'release':
      return position === 1 ? complete(ctx.unitIds) : [];
    case 'status': {
      if (position === 1) return complete([...ctx.unitIds, ...ctx.incidentNumbers]);
      if (position === 2) {
        const target = rest[0] ?? '';
        return complete(incidentNumberOf(target) ? IncidentStatuses : unitStatusCompletions);
      }
      return [];
    }
    case 'activate':
    case 'contain':
    case 'close':
    case 'show':
      return position === 1 ? complete(ctx.incidentNumbers) : [];
    case 'open':
      return position === 1 ? complete(['incident']) : [];
    case 'popout':
      return position === 1 ? complete(panelCompletions) : [];
    case 'step':
      if (position === 1) return complete(ctx.stepIds.map((_, i) => String(i + 1)));
      if (position === 2) return complete(stepStateCompletions);
      return [];
    default:
      return [];
  }
}

/**
 * The moves that take a unit from `from` to `to` along its status machine, shortest
 * first, never through out-of-service or dispatched: an officer who types "onscene" for
 * a dispatched unit means it went en route and arrived. Empty when `to` is not reachable
 * that way (the console then sends the one move and shows the refusal).
 */
export function unitStatusPath(from: UnitStatus, to: UnitStatus): UnitStatus[] {
  if (from === to) return [];
  const previous = new Map<UnitStatus, UnitStatus>();
  const queue: UnitStatus[] = [from];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of UNIT_TRANSITIONS[at]) {
      if (previous.has(next) || next === from) continue;
      if (next !== to && (next === 'out-of-service' || next === 'dispatched')) continue;
      previous.set(next, at);
      if (next === to) {
        const path: UnitStatus[] = [to];
        let step = at;
        while (step !== from) {
          path.unshift(step);
          step = previous.get(step)!;
        }
        return path;
      }
      queue.push(next);
    }
  }
  return [];
}

export { UnitStatuses };
