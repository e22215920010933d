/**
 * money.md's rules around the planner (case-step.ts), for the case service: an event's amount is
 * checked against the case's currency before the machine (400, 422 `currency_mismatch`), the
 * machine is told whether a refund completes the claim, and the limits are checked once the
 * machine accepts the event (422), so a state that accepts no refund still answers 409. A
 * refund to the buyer is recorded in any state of an open or closed case: where the machine
 * has no transition for it (a closed case, a version 1 case), as a plain timeline entry.
 */
import { admitMoney, checkMoneyLimits, outstandingOf } from '../money/case-money';
import { formatAmount } from '../money/money';
import type { NotificationValues } from '../notifications/content/case-notification';
import {
  planEntry,
  planEvent,
  type EventPlan,
  type PlannedEvent,
  type PlannedStep,
  type StepClock,
} from './case-step';
import type { LoadedCase } from './case.types';

/** {@link planEvent} under money.md's rules; a refused amount throws its ApiError. */
export function planMoneyEvent(
  loaded: LoadedCase,
  event: PlannedEvent,
  clock: StepClock,
): EventPlan {
  const money = admitMoney(event.type, event.payload, loaded);
  let result = planEvent(loaded, money ? { ...event, money } : event, clock);
  if (!result.ok) {
    if (event.type !== 'BUYER_REFUNDED' || result.refusal.error !== 'invalid_transition') {
      return result;
    }
    result = { ok: true, planned: plainEntry(loaded, event, clock) };
  }
  checkMoneyLimits(event.type, event.payload, loaded);
  if (event.type !== 'REFUNDED') return result;
  return { ok: true, planned: withOwed(result.planned) };
}

/** A step that records the event on the timeline and moves nothing but money. */
function plainEntry(loaded: LoadedCase, event: PlannedEvent, clock: StepClock): PlannedStep {
  const entry = {
    type: event.type,
    actor: event.actor,
    fromState: loaded.state,
    toState: loaded.state,
    payload: event.payload,
  };
  const { case: next, write } = planEntry(loaded, entry, clock.now);
  return {
    case: next,
    write,
    timerDueNow: false,
    notifications: [],
    metrics: { caseType: loaded.type, from: loaded.state, to: loaded.state, breaches: [] },
  };
}

/** `merchant.partial_refund` says what is claimed, refunded so far, and still owed. */
function withOwed(planned: PlannedStep): PlannedStep {
  if (!planned.notifications.some((n) => n.type === 'merchant.partial_refund')) return planned;
  const c = planned.case;
  const amount = (minor: string | bigint) => formatAmount(BigInt(minor), c.currency);
  const notifications = planned.notifications.map((n): NotificationValues => {
    if (n.type !== 'merchant.partial_refund') return n;
    const body = n.body as Record<string, unknown>;
    return {
      ...n,
      body: {
        ...body,
        claim: { amount: amount(c.claimed_minor), currency: c.currency },
        refunded: amount(c.supplier_refunded_minor),
        outstanding: amount(outstandingOf(c)),
        currency: c.currency,
      },
    };
  });
  return { ...planned, notifications, write: { ...planned.write, notifications } };
}
