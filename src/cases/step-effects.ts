/**
 * What a step's effects write, computed from values alone (see case-step.ts): the timers it
 * cancels, fires and schedules, the deadline warnings due at once, and the outbox rows.
 */
import type { CaseCalendars } from '../deadlines/due-date.service';
import {
  caseNotification,
  type NotificationValues,
} from '../notifications/content/case-notification';
import {
  BREACH_TIMER_KINDS,
  DEADLINE_PARTIES,
  isClaimType,
  type Effect,
  type Resolution,
  type TimerKind,
  type WorkflowStep,
} from '../workflows';
import type { CaseTimer, LoadedCase } from './case.types';
import type { DueResolver } from './case-step';

const HOUR_MS = 3_600_000;
/** A warning goes out this long before a deadline that can breach (collaboration.md). */
export const WARNING_LEAD_MS = 24 * HOUR_MS;

/**
 * How long before its deadline each warning of a kind goes out, longest first: a day before any
 * deadline that can breach (collaboration.md); a platform's answer deadline twice, 72 h and 24 h
 * before (lost-and-disputed.md). A timer row's `warn_at` is its next warning's time.
 */
export function warningLeads(kind: TimerKind): number[] {
  if (kind === 'external_due') return [72 * HOUR_MS, 24 * HOUR_MS];
  return BREACH_TIMER_KINDS.includes(kind) ? [WARNING_LEAD_MS] : [];
}

/** The time of the deadline's next warning after `after` (null: none left). */
export function nextWarnAt(kind: TimerKind, dueAt: Date, after: Date): Date | null {
  for (const lead of warningLeads(kind)) {
    const at = dueAt.getTime() - lead;
    if (at > after.getTime()) return new Date(at);
  }
  return null;
}

/** A live timer the step sets: when it is due, and when its warning goes out (null: none or sent). */
export interface ScheduledTimer {
  kind: TimerKind;
  dueAt: Date;
  warnAt: Date | null;
}

export interface PlannedEffects {
  /** The case's timers once written (cancelled ones left out), by due time. */
  deadlines: CaseTimer[];
  cancelTimerIds: string[];
  /** The timer the step fired, marked. */
  fired: CaseTimer | null;
  schedule: ScheduledTimer[];
  notifications: NotificationValues[];
}

export interface EffectsInput {
  /** The case as the step leaves it (its timers not yet moved). */
  next: LoadedCase;
  step: WorkflowStep;
  /** The payload of the step's event, for what notifications quote (reason, text...). */
  payload: Record<string, unknown>;
  now: Date;
  resolveDue: DueResolver;
  /** The timer the step fires, and what its deadlines count from. */
  timer: { countFrom: Date; fired: CaseTimer } | null;
}

/** The timers, warnings and notifications of a step, in the order the machine gave its effects. */
export function planEffects(input: EffectsInput): PlannedEffects {
  const { next, step, now, timer } = input;
  const closing = step.status === 'closed';
  // The fired timer stays on the case, marked: it is no longer live, so nothing below moves it.
  const fired = timer
    ? {
        ...timer.fired,
        fired_at: now.toISOString(),
        // The machine says whether this firing breaches (a window's first firing is a notice).
        breached: step.effects.some((e) => e.type === 'mark_breach' && e.kind === timer.fired.kind),
      }
    : null;
  const before = next.deadlines.map((t) => (t === timer?.fired ? fired! : t));

  // The net effect per timer kind, in the order the machine gave them.
  const timers = new Map<TimerKind, Date | 'cancel'>();
  let calendars: CaseCalendars | undefined;
  for (const effect of step.effects) {
    if (effect.type === 'cancel_timer') timers.set(effect.kind, 'cancel');
    if (effect.type === 'schedule_timer' && !closing) {
      calendars ??= calendarsOf(next);
      timers.set(effect.kind, input.resolveDue(effect.due, timer?.countFrom ?? now, calendars));
    }
  }
  const cancelKinds = [...timers].filter(([, v]) => v === 'cancel').map(([kind]) => kind);
  const schedule = [...timers]
    .filter((pair): pair is [TimerKind, Date] => pair[1] !== 'cancel')
    .map(([kind, dueAt]): ScheduledTimer => ({ kind, dueAt, warnAt: warningTime(kind, dueAt) }));

  const live = (t: CaseTimer) => t.fired_at === null;
  const cancelled = (t: CaseTimer) => live(t) && (closing || cancelKinds.includes(t.kind));
  const cancelTimerIds = before.flatMap((t) => (cancelled(t) && t.id !== null ? [t.id] : []));
  const deadlines = before.filter((t) => !cancelled(t));
  for (const { kind, dueAt } of schedule) {
    const at = deadlines.findIndex((t) => live(t) && t.kind === kind);
    const due_at = dueAt.toISOString();
    if (at >= 0) deadlines[at] = { ...deadlines[at], due_at };
    else deadlines.push({ id: null, kind, due_at, fired_at: null, breached: false });
  }
  deadlines.sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime());

  const notified = { ...next, deadlines, waiting_on: step.waitingOn };
  const resolution = owedResolution(next.type, step);
  const notifications: NotificationValues[] = step.effects
    .filter((e): e is Extract<Effect, { type: 'notify' }> => e.type === 'notify')
    .map((effect) => caseNotification(notified, effect, input.payload, resolution, now));
  // A warning whose time has come already goes out at once, with the step (one, however many
  // leads have passed); the timer keeps the next one's time.
  for (const s of schedule) {
    if (s.warnAt === null || s.warnAt.getTime() > now.getTime()) continue;
    s.warnAt = nextWarnAt(s.kind, s.dueAt, now);
    notifications.push(deadlineWarning(notified, s.kind, s.dueAt, now));
  }

  return { deadlines, cancelTimerIds, fired, schedule, notifications };
}

/** When a deadline's first warning goes out (null: the timer has none). */
export function warningTime(kind: TimerKind, dueAt: Date): Date | null {
  const leads = warningLeads(kind);
  return leads.length ? new Date(dueAt.getTime() - leads[0]) : null;
}

/** `<party>.deadline_warning` `{kind, dueAt}` to the party that must act before the deadline. */
export function deadlineWarning(
  notified: Parameters<typeof caseNotification>[0],
  kind: TimerKind,
  dueAt: Date,
  now: Date,
): NotificationValues {
  const party = DEADLINE_PARTIES[kind] ?? 'ops';
  const warning = caseNotification(
    notified,
    { type: 'notify', party, notification: `${party}.deadline_warning` },
    {},
    null,
    now,
  );
  const body = warning.body as Record<string, unknown>;
  return { ...warning, body: { ...body, deadline: { kind, dueAt: dueAt.toISOString() } } };
}

function calendarsOf(loaded: LoadedCase): CaseCalendars {
  return {
    supplier: { country: loaded.s_country, timezone: loaded.s_timezone, closures: loaded.closures },
    merchant: { country: loaded.m_country, timezone: loaded.m_timezone },
  };
}

/** A claim's resolution (reship or refund, as the case view shows it): what the supplier owes. */
function owedResolution(type: string, step: WorkflowStep): Resolution | null {
  if (!isClaimType(type)) return null;
  return step.context.chosenResolution ?? step.context.preferredResolution;
}
