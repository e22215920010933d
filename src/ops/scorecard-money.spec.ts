import { BusinessCalendar } from '../deadlines/calendar';
import { businessDaysBetween, median, moneyMeasures } from './scorecard-money';

const calendar = new BusinessCalendar();
const FR = { country: 'FR', timezone: 'Europe/Paris' };

describe('businessDaysBetween', () => {
  it.each([
    // Monday 2027-03-01 to the same day, the Tuesday, the next Monday (a weekend between).
    ['2027-03-01T09:00:00Z', '2027-03-01T17:00:00Z', 0],
    ['2027-03-01T09:00:00Z', '2027-03-02T08:00:00Z', 1],
    ['2027-03-01T09:00:00Z', '2027-03-08T08:00:00Z', 5],
    // Friday 2027-04-30 to Monday 2027-05-03 counts Monday; Thursday 2027-05-06 is Ascension.
    ['2027-04-30T09:00:00Z', '2027-05-03T09:00:00Z', 1],
    ['2027-05-05T09:00:00Z', '2027-05-10T09:00:00Z', 2],
  ])('from %s to %s: %i', (from, to, days) => {
    expect(businessDaysBetween(calendar, new Date(from), new Date(to), FR)).toBe(days);
  });

  it('leaves out the supplier closures', () => {
    const spec = { ...FR, closures: [{ from: '2027-03-02', to: '2027-03-03' }] };
    const days = businessDaysBetween(
      calendar,
      new Date('2027-03-01T09:00:00Z'),
      new Date('2027-03-05T09:00:00Z'),
      spec,
    );
    expect(days).toBe(2);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones; null for none', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('moneyMeasures', () => {
  it('writes amounts with the currency digits and counts only full refunds', () => {
    const measures = moneyMeasures(
      [
        {
          currency: 'EUR',
          claimed: '4550',
          refunded: '3000',
          outstanding: '1000',
          written_off: '550',
          refunds: [
            ['2027-03-01T09:00:00Z', '2027-03-03T09:00:00Z'],
            ['2027-03-01T09:00:00Z', null as unknown as string],
          ],
        },
        {
          currency: 'JPY',
          claimed: '1000',
          refunded: '0',
          outstanding: '1000',
          written_off: '0',
          refunds: null,
        },
      ],
      calendar,
      FR,
    );
    expect(measures).toEqual([
      {
        currency: 'EUR',
        claimed: '45.50',
        refunded: '30.00',
        outstanding: '10.00',
        writtenOff: '5.50',
        medianBusinessDaysToFullRefund: 2,
      },
      {
        currency: 'JPY',
        claimed: '1000',
        refunded: '0',
        outstanding: '1000',
        writtenOff: '0',
        medianBusinessDaysToFullRefund: null,
      },
    ]);
  });
});
