/**
 * Test support (not used by the app): drives one case through openCase/applyEvent and plans each
 * accepted step with the case service's own planner (src/cases/case-step.ts), so the case's
 * deadlines here are the ones the service would write. It also keeps a ledger of the timers from
 * the effects alone, stricter than the planner (a timer scheduled while live, or cancelled while
 * not live, throws), and checks that the two agree on every open case.
 */
import { planStep, SYSTEM_ACTOR, type StepClock } from '../../cases/case-step';
import { newCaseRecord, planOpening } from '../../cases/case-opening';
import type { CaseTimer, LoadedCase, OpenCaseCommand, Parties } from '../../cases/case.types';
import { allowedEvents, applyEvent, openCase, readWorkflowContext } from '../workflow.engine';
import {
  SAMPLE_PAYLOADS,
  sampleOpenings,
  sampleOrder,
  SHIPPED,
  usualActor,
} from '../workflow.examples';
import {
  CURRENT_WORKFLOW_VERSION,
  type WorkflowVersion,
  type ActorKind,
  type ApplyResult,
  type CaseType,
  type Effect,
  type EvidenceFacts,
  type MoneyFacts,
  type OpenCaseInput,
  type OrderSnapshot,
  type Resolution,
  type TimerKind,
  type WorkflowEvent,
  type WorkflowStep,
} from '../workflow.types';
import type { WorkflowEventType } from '../workflow.events';

export const AT = '2025-03-03T09:00:00.000Z';

const DAY_MS = 86_400_000;
/** Dates do not matter to the machines' tests: every deadline falls a day after its step. */
const CLOCK: StepClock = {
  now: new Date(AT),
  resolveDue: (_rule, from) => new Date(from.getTime() + DAY_MS),
};
const PARTIES: Parties = {
  m_country: 'FR',
  m_timezone: null,
  m_language: 'en',
  m_webhook_url: 'https://merchant.example/hooks',
  s_country: 'CN',
  s_timezone: null,
  s_webhook_url: null,
  closures: [],
};

export interface SendOptions {
  actor?: ActorKind;
  payload?: Record<string, unknown>;
  evidence?: EvidenceFacts;
  /** A refund's facts (money.md); without them a refund completes the claim. */
  money?: MoneyFacts;
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
  /** The case as the service's planner leaves it after each accepted step. */
  record: LoadedCase;

  constructor(
    readonly type: CaseType,
    input: OpenCaseInput,
    readonly version: WorkflowVersion = CURRENT_WORKFLOW_VERSION,
  ) {
    this.step = openCase(input, version);
    this.ledger.apply(this.step.effects);
    this.history.push(this.step.effects);
    const command: OpenCaseCommand = {
      type,
      merchantId: '00000000-0000-4000-8000-000000000001',
      supplierId: '00000000-0000-4000-8000-000000000002',
      order: input.order,
      preferredResolution: input.preferredResolution ?? null,
    };
    const fresh = newCaseRecord(
      command,
      PARTIES,
      '00000000-0000-4000-8000-000000000003',
      CLOCK.now,
    );
    this.record = {
      ...planOpening(fresh, this.step, command, CLOCK).case,
      workflow_version: version,
    };
    this.checkDeadlines();
  }

  /** Opens a case of this type with an order that fits it (or the given overrides). */
  static open(
    type: CaseType,
    options: {
      order?: Partial<OrderSnapshot>;
      shipped?: boolean;
      preferredResolution?: Resolution;
      /** The machine's version (the current one unless told). */
      version?: WorkflowVersion;
    } = {},
  ): CaseDriver {
    const opening = sampleOpenings(type)[0];
    const shipped =
      options.shipped === undefined ? {} : options.shipped ? SHIPPED : { shippedAt: null };
    const order = sampleOrder({ ...opening.order, ...shipped, ...options.order });
    return new CaseDriver(
      type,
      {
        ...opening,
        order,
        ...(options.preferredResolution
          ? { preferredResolution: options.preferredResolution }
          : {}),
      },
      options.version,
    );
  }

  get state(): string {
    return this.step.state;
  }

  get context() {
    return readWorkflowContext(this.type, this.step.snapshot, this.version);
  }

  /** The effects of the last accepted step. */
  get effects(): Effect[] {
    return this.step.effects;
  }

  /** The live timers of the case, as the planner keeps them. */
  get deadlines(): CaseTimer[] {
    return this.record.deadlines.filter((t) => t.fired_at === null);
  }

  allowed(actor?: ActorKind): string[] {
    return allowedEvents(this.type, this.step.snapshot, actor, this.version);
  }

  /** Sends an event with its sample payload and usual actor unless told otherwise. */
  send(type: string, options: SendOptions = {}): ApplyResult {
    const event: WorkflowEvent = {
      type,
      actor: options.actor ?? usualActor(type),
      at: AT,
      payload: options.payload ?? SAMPLE_PAYLOADS[type as WorkflowEventType],
      evidence: options.evidence ?? { photoOrVideo: 0, total: 0 },
      ...(options.money ? { money: options.money } : {}),
    };
    const result = applyEvent(this.type, this.step.snapshot, event, this.version);
    this.last = result;
    if (result.ok) {
      const fired = type === 'TIMER_FIRED' ? (event.payload?.kind as TimerKind) : undefined;
      this.ledger.apply(result.effects, fired);
      this.history.push(result.effects);
      this.step = result;
      const timer = this.deadlines.find((t) => t.kind === fired);
      const entry = {
        type,
        actor: event.actor === 'system' ? SYSTEM_ACTOR : { kind: event.actor, id: null },
        fromState: this.record.state,
        toState: result.state,
        payload: event.payload ?? {},
      };
      const firing = timer ? { countFrom: CLOCK.now, fired: timer } : null;
      this.record = planStep(this.record, result, entry, CLOCK, firing).case;
      this.checkDeadlines();
    }
    return result;
  }

  /** The planner's live timers are the ledger's while the case is open (none once closed). */
  private checkDeadlines(): void {
    const planned = this.deadlines.map((t) => t.kind).sort();
    const expected = this.step.status === 'open' ? [...this.ledger.live].sort() : [];
    if (planned.join() !== expected.join()) {
      throw new Error(
        `planned timers [${planned.join()}] but the effects leave [${expected.join()}]`,
      );
    }
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
