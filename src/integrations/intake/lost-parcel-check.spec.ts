import { DEFAULT_SETTINGS, type MerchantSettings } from '../integrations.service';
import { LOST_WATCH_LIMIT_DAYS, lostParcelVerdict } from './lost-parcel-check';

const DAY = 86_400_000;
const now = new Date('2027-01-20T12:00:00Z');
const on: MerchantSettings = {
  ...DEFAULT_SETTINGS,
  autoOpen: { ...DEFAULT_SETTINGS.autoOpen, lost_parcel: true },
};
const facts = (
  daysSilent: number,
  extra: Partial<Parameters<typeof lostParcelVerdict>[0]> = {},
) => ({
  ref: 'ORD-1',
  domestic: true,
  delivered: false,
  expired: false,
  last_activity: new Date(now.getTime() - daysSilent * DAY),
  ...extra,
});

describe('lostParcelVerdict', () => {
  it('opens after lostAfterDays without news: 10 domestic, 30 international', () => {
    expect(lostParcelVerdict(facts(10), on, now)).toMatchObject({ kind: 'open' });
    expect(lostParcelVerdict(facts(10, { domestic: false }), on, now)).toEqual({
      kind: 'wait',
      until: new Date(now.getTime() + 20 * DAY),
      switchedOff: false,
    });
    expect(lostParcelVerdict(facts(30, { domestic: false }), on, now)).toMatchObject({
      kind: 'open',
      reason: expect.stringContaining('30 days'),
    });
  });

  it('news re-arms for lostAfterDays after it', () => {
    expect(lostParcelVerdict(facts(4), on, now)).toEqual({
      kind: 'wait',
      until: new Date(now.getTime() + 6 * DAY),
      switchedOff: false,
    });
  });

  it('delivered or expired parcels, and parcels silent past the watch limit, end', () => {
    expect(lostParcelVerdict(facts(40, { delivered: true }), on, now)).toEqual({
      kind: 'end',
      reason: 'delivered',
    });
    expect(lostParcelVerdict(facts(40, { expired: true }), on, now)).toEqual({
      kind: 'end',
      reason: 'expired',
    });
    expect(lostParcelVerdict(facts(LOST_WATCH_LIMIT_DAYS + 1), on, now)).toEqual({
      kind: 'end',
      reason: 'unwatched',
    });
  });

  it('with the switch off, waits another lostAfterDays (switching on later still watches)', () => {
    expect(lostParcelVerdict(facts(12), DEFAULT_SETTINGS, now)).toEqual({
      kind: 'wait',
      until: new Date(now.getTime() + 10 * DAY),
      switchedOff: true,
    });
  });
});
