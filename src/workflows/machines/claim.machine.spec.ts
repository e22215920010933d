import {
  breached,
  CaseDriver,
  cancelled,
  notified,
  PHOTO,
  scheduled,
} from '../testing/case-driver';

const CLAIM_TYPES = ['wrong_item', 'missing_item', 'damaged_item'] as const;

describe.each(CLAIM_TYPES)('%s (claim flow)', (type) => {
  const open = (preferredResolution?: 'reship' | 'refund') =>
    CaseDriver.open(type, { version: 1, ...(preferredResolution ? { preferredResolution } : {}) });
  const verifying = () => open().must('SUBMIT_EVIDENCE', { evidence: PHOTO });
  const rejected = () => verifying().must('VERIFICATION_REJECTED', { evidence: PHOTO });

  it('opens in awaiting_evidence with evidence_due = 7 calendar days; preferredResolution defaults to refund', () => {
    const c = open();

    expect(c.step).toMatchObject({ state: 'awaiting_evidence', phase: 'post_shipment' });
    expect(c.effects).toContainEqual({
      type: 'schedule_timer',
      kind: 'evidence_due',
      due: { rule: 'calendar_days_after', days: 7 },
    });
    expect(c.context.preferredResolution).toBe('refund');
    expect(open('reship').context.preferredResolution).toBe('reship');
  });

  it('SUBMIT_EVIDENCE without a photo or video is refused with evidence_required', () => {
    const c = open();

    const result = c.send('SUBMIT_EVIDENCE', { evidence: { photoOrVideo: 0, total: 3 } });

    expect(result).toMatchObject({
      ok: false,
      error: 'evidence_required',
      state: 'awaiting_evidence',
    });
    expect(!result.ok && result.error === 'evidence_required' && result.message).toMatch(
      /photo or video/,
    );
    expect(c.state).toBe('awaiting_evidence');
    expect(c.allowed('merchant')).toContain('SUBMIT_EVIDENCE');
  });

  it('SUBMIT_EVIDENCE with a photo -> awaiting_verification, cancelling evidence_due and asking the supplier', () => {
    const c = open();

    c.must('SUBMIT_EVIDENCE', { evidence: PHOTO });

    expect(c.state).toBe('awaiting_verification');
    expect(c.effects).toEqual([
      { type: 'cancel_timer', kind: 'evidence_due' },
      { type: 'notify', party: 'supplier', notification: 'supplier.verification_requested' },
    ]);
  });

  it('evidence_due firing in awaiting_evidence closes as expired', () => {
    const c = open();

    expect(c.fire('evidence_due')).toMatchObject({ ok: true, state: 'closed', outcome: 'expired' });
    expect(cancelled(c.effects)).toEqual(['supplier_response']);
  });

  it('CHOOSE_RESOLUTION records the choice without changing the state, until the verification', () => {
    const c = open();

    expect(c.send('CHOOSE_RESOLUTION', { payload: { resolution: 'reship' } })).toMatchObject({
      ok: true,
      state: 'awaiting_evidence',
      effects: [],
    });
    expect(c.context.chosenResolution).toBe('reship');
    c.must('SUBMIT_EVIDENCE', { evidence: PHOTO });
    c.must('CHOOSE_RESOLUTION', { payload: { resolution: 'refund' } });
    expect(c.context.chosenResolution).toBe('refund');
    expect(c.state).toBe('awaiting_verification');
    c.must('VERIFICATION_CONFIRMED');
    expect(c.send('CHOOSE_RESOLUTION', { payload: { resolution: 'reship' } })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
  });

  it('VERIFICATION_CONFIRMED -> resolution_pending with resolution_due = 15 business days (supplier)', () => {
    const c = verifying();

    c.must('VERIFICATION_CONFIRMED');

    expect(c.state).toBe('resolution_pending');
    expect(c.effects).toEqual([
      { type: 'cancel_timer', kind: 'supplier_response' },
      {
        type: 'schedule_timer',
        kind: 'resolution_due',
        due: { rule: 'business_days_after', days: 15, calendar: 'supplier' },
      },
      { type: 'notify', party: 'supplier', notification: 'supplier.resolution_requested' },
    ]);
  });

  it.each([
    ['RESHIPPED', 'reshipped'],
    ['REFUNDED', 'refunded'],
  ])('in resolution_pending, %s closes as %s', (event, outcome) => {
    const c = verifying().must('VERIFICATION_CONFIRMED');

    expect(c.send(event)).toMatchObject({ ok: true, outcome });
    expect(cancelled(c.effects)).toEqual(['resolution_due']);
  });

  it('resolution_due firing escalates, breached; RESHIPPED and REFUNDED still close, CLEARED does not', () => {
    const c = verifying().must('VERIFICATION_CONFIRMED').mustFire('resolution_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['resolution_due']);
    expect(c.allowed('supplier')).toEqual([
      'NOTE',
      'MESSAGE',
      'REFUNDED',
      'RESHIPPED',
      'ACKNOWLEDGED',
    ]);
    expect(c.send('CLEARED')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(c.send('RESHIPPED')).toMatchObject({ ok: true, outcome: 'reshipped' });
  });

  it('VERIFICATION_REJECTED -> verification_rejected: appeal_due runs, the merchant is told', () => {
    const c = verifying();

    c.must('VERIFICATION_REJECTED', { payload: { reason: 'Not our item' }, evidence: PHOTO });

    expect(c.state).toBe('verification_rejected');
    expect(c.effects).toEqual([
      { type: 'cancel_timer', kind: 'supplier_response' },
      { type: 'schedule_timer', kind: 'appeal_due', due: { rule: 'calendar_days_after', days: 7 } },
      { type: 'notify', party: 'merchant', notification: 'merchant.verification_rejected' },
    ]);
    expect(c.context.evidenceAtRejection).toBe(1);
  });

  it('APPEAL needs evidence added since the rejection', () => {
    const c = rejected();

    expect(c.send('APPEAL', { evidence: PHOTO })).toMatchObject({
      ok: false,
      error: 'evidence_required',
    });
    const result = c.send('APPEAL', { evidence: { photoOrVideo: 1, total: 2 } });

    expect(result).toMatchObject({ ok: true, state: 'awaiting_verification' });
    expect(cancelled(c.effects)).toEqual(['appeal_due']);
    expect(notified(c.effects)).toEqual(['supplier.verification_requested']);
    expect(c.context.appealsUsed).toBe(1);
  });

  it('a second APPEAL is refused with invalid_transition, even with new evidence', () => {
    const c = rejected()
      .must('APPEAL', { evidence: { photoOrVideo: 1, total: 2 } })
      .must('VERIFICATION_REJECTED', { evidence: { photoOrVideo: 1, total: 2 } });

    expect(c.allowed('merchant')).toEqual(['WITHDRAW', 'NOTE', 'MESSAGE', 'ACCEPT_REJECTION']);
    expect(c.send('APPEAL', { evidence: { photoOrVideo: 3, total: 9 } })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
      state: 'verification_rejected',
    });
    expect(scheduled(c.history[c.history.length - 1])).toEqual(['appeal_due']);
  });

  it('ACCEPT_REJECTION closes as rejected', () => {
    const c = rejected();

    expect(c.send('ACCEPT_REJECTION')).toMatchObject({ ok: true, outcome: 'rejected' });
    expect(cancelled(c.effects)).toEqual(['appeal_due']);
  });

  it('appeal_due firing closes as rejected', () => {
    const c = rejected();

    expect(c.fire('appeal_due')).toMatchObject({ ok: true, outcome: 'rejected' });
    expect(cancelled(c.effects)).toEqual([]);
  });

  it('escalated from a state no supplier event closes: only ops or WITHDRAW end it', () => {
    const c = open().must('ESCALATE', { actor: 'ops' });

    expect(c.allowed('supplier')).toEqual(['NOTE', 'MESSAGE', 'ACKNOWLEDGED']);
    expect(c.allowed('ops')).toEqual([
      'WITHDRAW',
      'NOTE',
      'MESSAGE',
      'FORCE_REFUND',
      'FORCE_RESHIP',
      'FORCE_CLOSE',
      'ACKNOWLEDGED',
    ]);
    expect(cancelled(c.effects)).toEqual(['evidence_due']);
  });

  it('merchant events are the merchant’s: the supplier may not SUBMIT_EVIDENCE or APPEAL', () => {
    const c = open();

    expect(c.send('SUBMIT_EVIDENCE', { actor: 'supplier', evidence: PHOTO })).toMatchObject({
      error: 'forbidden',
      allowedEvents: ['NOTE', 'MESSAGE', 'ACKNOWLEDGED'],
    });
  });
});
