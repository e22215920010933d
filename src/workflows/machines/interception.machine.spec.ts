import { CaseDriver, cancelled, notified, scheduled } from '../testing/case-driver';

const DOMESTIC = { originCountry: 'FR', destinationCountry: 'FR' };
const INTERNATIONAL = { originCountry: 'CN', destinationCountry: 'FR' };

describe.each(['address_error', 'buyer_cancellation'] as const)('%s', (type) => {
  describe('order not shipped', () => {
    const open = () => CaseDriver.open(type, { version: 1, shipped: false });

    it('starts in refund_pending, pre_shipment', () => {
      const c = open();

      expect(c.step).toMatchObject({
        state: 'refund_pending',
        phase: 'pre_shipment',
        status: 'open',
      });
      expect(scheduled(c.effects)).toEqual(['supplier_response', 'refund_due']);
      expect(notified(c.effects)).toEqual(['supplier.case_opened', 'supplier.refund_requested']);
    });

    it('REFUNDED closes as refunded', () => {
      expect(open().send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });
    });

    if (type === 'address_error') {
      it.each(['merchant', 'supplier', 'ops'] as const)(
        'ADDRESS_CORRECTED by %s closes as address_corrected',
        (actor) => {
          const c = open();

          expect(c.send('ADDRESS_CORRECTED', { actor })).toMatchObject({
            ok: true,
            outcome: 'address_corrected',
          });
          expect(cancelled(c.effects)).toEqual(['supplier_response', 'refund_due']);
        },
      );
    } else {
      it('ADDRESS_CORRECTED is not a buyer_cancellation event', () => {
        expect(open().send('ADDRESS_CORRECTED')).toMatchObject({
          ok: false,
          error: 'invalid_transition',
        });
      });
    }
  });

  describe('shipped domestic', () => {
    const open = () => CaseDriver.open(type, { version: 1, shipped: true, order: DOMESTIC });

    it('starts in interception_requested, post_shipment, asking the supplier to intercept', () => {
      const c = open();

      expect(c.step).toMatchObject({ state: 'interception_requested', phase: 'post_shipment' });
      expect(notified(c.effects)).toEqual([
        'supplier.case_opened',
        'supplier.interception_requested',
      ]);
      expect(c.allowed('supplier')).toEqual([
        'NOTE',
        'MESSAGE',
        'INTERCEPTED',
        'INTERCEPTION_FAILED',
        'ACKNOWLEDGED',
      ]);
    });

    it('INTERCEPTED -> refund_pending, which closes as intercepted_refunded on REFUNDED', () => {
      const c = open();

      c.must('INTERCEPTED');
      expect(c.state).toBe('refund_pending');
      expect(scheduled(c.effects)).toEqual(['refund_due']);
      expect(c.send('ADDRESS_CORRECTED')).toMatchObject({ ok: false, error: 'invalid_transition' });

      expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'intercepted_refunded' });
    });

    it('INTERCEPTION_FAILED closes as not_intercepted', () => {
      expect(open().send('INTERCEPTION_FAILED')).toMatchObject({
        ok: true,
        outcome: 'not_intercepted',
      });
    });

    it('an intercepted refund escalated by refund_due still closes as intercepted_refunded', () => {
      const c = open().must('INTERCEPTED').mustFire('refund_due');

      expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'intercepted_refunded' });
    });
  });

  describe('shipped international', () => {
    it('closes at once as ineligible, with the reason, no timer and nothing for the supplier', () => {
      const c = CaseDriver.open(type, { version: 1, shipped: true, order: INTERNATIONAL });

      expect(c.step).toMatchObject({
        state: 'closed',
        status: 'closed',
        outcome: 'ineligible',
        phase: 'post_shipment',
      });
      expect(c.step.reason).toMatch(/international.*neither intercepted nor refunded/);
      expect(c.effects).toEqual([
        { type: 'notify', party: 'merchant', notification: 'merchant.case_closed' },
      ]);
      expect(c.allowed()).toEqual([]);
      expect(c.send('NOTE')).toMatchObject({ ok: false, error: 'invalid_transition' });
    });
  });
});
