import { buyerResponseFigures } from './buyer-response';

const HOUR = 3_600_000;

describe('buyerResponseFigures', () => {
  it('is null without settled contacts', () => {
    expect(buyerResponseFigures([])).toEqual({ within24hShare: null, medianHours: null });
  });

  it('shares the contacts answered in time, and their median hours', () => {
    expect(
      buyerResponseFigures([
        { answeredAfterMs: 2 * HOUR },
        { answeredAfterMs: null },
        { answeredAfterMs: 10 * HOUR },
        { answeredAfterMs: 4 * HOUR },
      ]),
    ).toEqual({ within24hShare: 0.75, medianHours: 4 });
    expect(
      buyerResponseFigures([{ answeredAfterMs: HOUR }, { answeredAfterMs: 3 * HOUR }]),
    ).toEqual({ within24hShare: 1, medianHours: 2 });
    expect(buyerResponseFigures([{ answeredAfterMs: null }])).toEqual({
      within24hShare: 0,
      medianHours: null,
    });
  });
});
