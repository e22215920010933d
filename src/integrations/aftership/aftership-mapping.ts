/**
 * AfterShip's tracking webhook (`{ts, event, event_id, msg: {tracking_number, slug, tag, subtag,
 * subtag_message, checkpoints, ...}}`, its "Webhook Specifications") mapped to a tracking update
 * (intake.md, "Tracking"). Pure. Fixtures of the shape: test/fixtures/aftership/.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

/** One tracking update as Redress records it. */
export interface TrackingUpdate {
  eventId: string | null;
  trackingNumber: string;
  slug: string | null;
  /** AfterShip's delivery status: Pending, InfoReceived, InTransit, OutForDelivery, AttemptFail, Delivered, AvailableForPickup, Exception, Expired. */
  tag: string;
  subtag: string | null;
  message: string | null;
  /** When the carrier saw it: the latest checkpoint's time, else the update's. */
  at: Date;
  /** An `Exception` whose subtag or message says customs. */
  customs: boolean;
}

/** A body that is not a tracking update (answered 400, its receipt given back). */
export class UnusableTrackingPayload extends Error {}

const time = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? null : at;
};

export function trackingUpdate(payload: unknown): TrackingUpdate {
  if (!isObject(payload) || !isObject(payload.msg))
    throw new UnusableTrackingPayload('msg is missing');
  const msg = payload.msg;
  const trackingNumber = str(msg.tracking_number);
  const tag = str(msg.tag);
  if (!trackingNumber || trackingNumber.length > 100)
    throw new UnusableTrackingPayload('msg.tracking_number is missing');
  if (!tag) throw new UnusableTrackingPayload('msg.tag is missing');
  const checkpoints = Array.isArray(msg.checkpoints) ? msg.checkpoints.filter(isObject) : [];
  const last = checkpoints.reduce<Json | null>((latest, c) => {
    const at = time(c.checkpoint_time);
    if (!at) return latest;
    return !latest || at > time(latest.checkpoint_time)! ? c : latest;
  }, null);
  const ts = typeof payload.ts === 'number' ? new Date(payload.ts * 1000) : null;
  const at = (last && time(last.checkpoint_time)) ?? time(msg.updated_at) ?? ts ?? new Date(0);
  const subtag = str(msg.subtag);
  const message = str(msg.subtag_message) ?? (last ? str(last.message) : null);
  const said = [
    subtag,
    str(msg.subtag_message),
    last ? str(last.message) : null,
    last ? str(last.subtag_message) : null,
  ]
    .filter((s): s is string => s !== null)
    .join(' ');
  return {
    eventId: str(payload.event_id),
    trackingNumber,
    slug: str(msg.slug),
    tag,
    subtag,
    message: message?.slice(0, 2000) ?? null,
    at,
    customs: tag === 'Exception' && /customs/i.test(said),
  };
}
