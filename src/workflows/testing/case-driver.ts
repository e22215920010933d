/**
 * Test support (not used by the app): drives one case through openCase/applyEvent the way the case
 * service does, and keeps a ledger of its timers from the effects alone, so tests can check that
 * every schedule and cancellation is exact.
 */
import { allowedEvents, applyEvent, openCase, readWorkflowContext } from '../workflow.engine';
import {
  SAMPLE_PAYLOADS,
  sampleOpenings,
  sampleOrder,
  SHIPPED,
  usualActor,
} from '../workflow.samples';
import type {
  ActorKind,
  ApplyResult,
  CaseType,
  Effect,
  EvidenceFacts,
  OpenCaseInput,
  OrderSnapshot,
  Resolution,
  TimerKind,
  WorkflowEvent,
  WorkflowStep,
} from '../workflow.types';
import type { WorkflowEventType } from '../workflow.events';

export const AT = '2025-03-03T09:00:00.000Z';

export interface SendOptions {
  actor?: ActorKind;
  payload?: Record<string, unknown>;
  evidence?: EvidenceFacts;
}

/** The timers a case has, as the case service would know them from the effects. */
export class TimerLedger {
  readonly live = new Set<TimerKind>();

  /** Applies a step's effects; throws when one is not exact. */
  apply(effects: Effect[], fired?: TimerKind): void {
    if (fired) {
      if (!this.live.has(fired)) throw new Error(`timer ${fired} fired but was not live`);
      this.live.delete(fired);
    }
    for (const effect of effects) {
      if (effect.type === 'schedule_timer') {
        if (this.live.has(effect.kind))
          throw new Error(`timer ${effect.kind} scheduled while live`);
        this.live.add(effect.kind);
      }
      if (effect.type === 'cancel_timer') {
        if (!this.live.has(effect.kind))
          throw new Error(`timer ${effect.kind} cancelled while not live`);
        this.live.delete(effect.kind);
      }
    }
  }
}

export class CaseDriver {
  step: WorkflowStep;
  last: ApplyResult | null = null;
  readonly ledger = new TimerLedger();
  readonly history: Effect[][] = [];

  constructor(
    readonly type: CaseType,
    input: OpenCaseInput,
  ) {
    this.step = openCase(input);
    this.ledger.apply(this.step.effects);
    this.history.push(this.step.effects);
  }

  /** Opens a case of this type with an order that fits it (or the given overrides). */
  static open(
    type: CaseType,
    options: {
      order?: Partial<OrderSnapshot>;
      shipped?: boolean;
      preferredResolution?: Resolution;
    } = {},
  ): CaseDriver {
    const base = sampleOpenings(type)[0];
    const shipped =
      options.shipped === undefined ? {} : options.shipped ? SHIPPED : { shippedAt: null };
    const order = sampleOrder({ ...base.order, ...shipped, ...options.order });
    return new CaseDriver(type, {
      ...base,
      order,
      ...(options.preferredResolution ? { preferredResolution: options.preferredResolution } : {}),
    });
  }

  get state(): string {
    return this.step.state;
  }

  get context() {
    return readWorkflowContext(this.type, this.step.snapshot);
  }

  /** The effects of the last accepted step. */
  get effects(): Effect[] {
    return this.step.effects;
  }

  allowed(actor?: ActorKind): string[] {
    return allowedEvents(this.type, this.step.snapshot, actor);
  }

  /** Sends an event with its sample payload and usual actor unless told otherwise. */
  send(type: string, options: SendOptions = {}): ApplyResult {
    const event: WorkflowEvent = {
      type,
      actor: options.actor ?? usualActor(type),
      at: AT,
      payload: options.payload ?? SAMPLE_PAYLOADS[type as WorkflowEventType],
      evidence: options.evidence ?? { photoOrVideo: 0, total: 0 },
    };
    const result = applyEvent(this.type, this.step.snapshot, event);
    this.last = result;
    if (result.ok) {
      const fired = type === 'TIMER_FIRED' ? (event.payload?.kind as TimerKind) : undefined;
      this.ledger.apply(result.effects, fired);
      this.history.push(result.effects);
      this.step = result;
    }
    return result;
  }

  fire(kind: TimerKind): ApplyResult {
    return this.send('TIMER_FIRED', { actor: 'system', payload: { kind } });
  }

  /** Sends and throws unless accepted: for the arrange part of a test. */
  must(type: string, options: SendOptions = {}): this {
    const result = this.send(type, options);
    if (!result.ok) throw new Error(`${type} refused in ${result.state}: ${result.error}`);
    return this;
  }

  mustFire(kind: TimerKind): this {
    const result = this.fire(kind);
    if (!result.ok)
      throw new Error(`TIMER_FIRED ${kind} refused in ${result.state}: ${result.error}`);
    return this;
  }
}

/** Effects of a kind, for compact assertions. */
export const scheduled = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'schedule_timer' ? [e.kind] : []));
export const cancelled = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'cancel_timer' ? [e.kind] : []));
export const notified = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'notify' ? [e.notification] : []));
export const breached = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'mark_breach' ? [e.kind] : []));

export const PHOTO: EvidenceFacts = { photoOrVideo: 1, total: 1 };
