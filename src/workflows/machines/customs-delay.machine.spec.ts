import { breached, CaseDriver, cancelled, notified, scheduled } from '../testing/case-driver';

describe('customs_delay', () => {
  const open = () => CaseDriver.open('customs_delay', { version: 1 });

  it('opens in awaiting_clearance with a first reminder, customs_reminder and customs_due', () => {
    const c = open();

    expect(c.step).toMatchObject({ state: 'awaiting_clearance', phase: 'post_shipment' });
    expect(c.effects).toEqual([
      {
        type: 'schedule_timer',
        kind: 'supplier_response',
        due: { rule: 'hours_after', hours: 24 },
      },
      { type: 'notify', party: 'supplier', notification: 'supplier.case_opened' },
      { type: 'notify', party: 'merchant', notification: 'merchant.customs_reminder' },
      {
        type: 'schedule_timer',
        kind: 'customs_reminder',
        due: { rule: 'business_days_after', days: 3, calendar: 'merchant' },
      },
      {
        type: 'schedule_timer',
        kind: 'customs_due',
        due: { rule: 'calendar_days_after', days: 30 },
      },
    ]);
    expect(c.context.remindersSent).toBe(1);
  });

  it('sends 5 reminders in all: each firing reminds and reschedules, until the fifth', () => {
    const c = open();

    for (let sent = 2; sent <= 4; sent++) {
      c.mustFire('customs_reminder');
      expect(notified(c.effects)).toEqual(['merchant.customs_reminder']);
      expect(scheduled(c.effects)).toEqual(['customs_reminder']);
      expect(c.context.remindersSent).toBe(sent);
    }
    c.mustFire('customs_reminder');

    expect(notified(c.effects)).toEqual(['merchant.customs_reminder']);
    expect(scheduled(c.effects)).toEqual([]);
    expect(c.context.remindersSent).toBe(5);
    expect(c.state).toBe('awaiting_clearance');
    expect(c.fire('customs_reminder')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(
      c.history.flatMap(notified).filter((n) => n === 'merchant.customs_reminder'),
    ).toHaveLength(5);
  });

  it('CLEARED closes as cleared, cancelling every timer', () => {
    const c = open();

    expect(c.send('CLEARED')).toMatchObject({ ok: true, outcome: 'cleared' });
    expect(cancelled(c.effects)).toEqual(['supplier_response', 'customs_reminder', 'customs_due']);
  });

  it('version 2: DELIVERED closes as delivered, CUSTOMS_HELD changes nothing; version 1 refuses both', () => {
    const v2 = CaseDriver.open('customs_delay', { version: 2 });
    expect(v2.send('CUSTOMS_HELD')).toMatchObject({ ok: true, state: 'awaiting_clearance' });
    expect(v2.send('DELIVERED')).toMatchObject({
      ok: true,
      status: 'closed',
      outcome: 'delivered',
    });

    const v1 = open();
    expect(v1.send('CUSTOMS_HELD')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(v1.send('DELIVERED')).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('RETURNED_TO_SENDER -> refund_pending: the customs timers stop, the refund leg starts', () => {
    const c = open();

    c.must('RETURNED_TO_SENDER');

    expect(c.state).toBe('refund_pending');
    expect(cancelled(c.effects)).toEqual(['supplier_response', 'customs_reminder', 'customs_due']);
    expect(scheduled(c.effects)).toEqual(['refund_due']);
    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });
  });

  it('customs_due firing escalates, breached, and stops the reminders; CLEARED still closes', () => {
    const c = open();

    c.mustFire('customs_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['customs_due']);
    expect(cancelled(c.effects)).toEqual(['customs_reminder']);
    expect(c.send('CLEARED')).toMatchObject({ ok: true, outcome: 'cleared' });
  });
});
