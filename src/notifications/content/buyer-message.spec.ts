import { NOTIFICATION_TYPES, OUTCOMES } from '../../workflows/workflow.types';
import {
  BUYER_FACING_NOTIFICATIONS,
  BUYER_LANGUAGES,
  isBuyerFacing,
  outcomeText,
  renderBuyerMessage,
  renderTemplate,
  resolveBuyerLanguage,
} from './buyer-message';
import de from './templates/de.json';
import en from './templates/en.json';
import es from './templates/es.json';
import fr from './templates/fr.json';
import zh from './templates/zh.json';

const FILES: Record<string, unknown> = { en, fr, es, de, zh };
const ALL_VARS = {
  orderRef: 'SO-1042',
  trackingNumber: 'LX123456789CN',
  reason: 'photo unclear',
};
const LEFTOVER = /[{}[\]]/;

/** Every key path of a JSON value, e.g. `messages.merchant.case_closed` (dots kept in names). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix} > ${key}` : key))
    .sort();
}

describe('buyer message templates', () => {
  it('are for merchant notifications only, and include the four the buyer must hear about', () => {
    expect(BUYER_FACING_NOTIFICATIONS).toEqual(
      expect.arrayContaining([
        'merchant.customs_reminder',
        'merchant.case_closed',
        'merchant.verification_rejected',
        'merchant.escalated',
      ]),
    );
    for (const type of BUYER_FACING_NOTIFICATIONS) {
      expect(NOTIFICATION_TYPES).toContain(type);
      expect(type.startsWith('merchant.')).toBe(true);
    }
  });

  it('en.json has one message per buyer-facing notification and one sentence per outcome', () => {
    expect(Object.keys(en.messages).sort()).toEqual([...BUYER_FACING_NOTIFICATIONS].sort());
    expect(Object.keys(en.outcomes).sort()).toEqual([...OUTCOMES].sort());
  });

  it.each(BUYER_LANGUAGES.filter((l) => l !== 'en'))(
    '%s.json has exactly the keys of en.json',
    (l) => {
      expect(keyPaths(FILES[l])).toEqual(keyPaths(en));
    },
  );

  it.each(Object.keys(FILES))('%s.json has no empty or untranslated text', (l) => {
    const file = FILES[l] as typeof en;
    for (const [key, text] of [
      ...Object.entries(file.messages),
      ...Object.entries(file.outcomes),
    ]) {
      expect(text.trim()).not.toBe('');
      if (l !== 'en') {
        const english = { ...en.messages, ...en.outcomes } as Record<string, string>;
        expect({ key, text }).not.toEqual({ key, text: english[key] });
      }
    }
  });
});

describe('renderBuyerMessage', () => {
  const cases = BUYER_LANGUAGES.flatMap((language) =>
    BUYER_FACING_NOTIFICATIONS.map((type) => [language, type] as const),
  );

  it.each(cases)('renders %s %s with every variable and no placeholder left', (language, type) => {
    const vars = { ...ALL_VARS, outcome: 'refunded' };
    const message = renderBuyerMessage(type, language, vars);
    expect(message?.language).toBe(language);
    expect(message?.text).toContain('SO-1042');
    expect(message?.text).not.toMatch(LEFTOVER);
    expect(message?.text).not.toMatch(/ {2}|^\s|\s$/);
  });

  it.each(cases)(
    'renders %s %s with no variable at all, still without placeholders',
    (language, type) => {
      const message = renderBuyerMessage(type, language, {});
      expect(message?.text).not.toMatch(LEFTOVER);
      expect(message?.text).not.toMatch(/ {2}|^\s|\s$/);
    },
  );

  it.each(BUYER_LANGUAGES.flatMap((language) => OUTCOMES.map((o) => [language, o] as const)))(
    'closes a case in %s with the outcome %s in words',
    (language, outcome) => {
      const message = renderBuyerMessage('merchant.case_closed', language, {
        ...ALL_VARS,
        outcome,
      });
      expect(message?.text).toContain(outcomeText(outcome, language, ALL_VARS));
      expect(message?.text).not.toMatch(/[a-z]+_[a-z]+/); // no outcome code such as force_closed
      expect(message?.text).not.toMatch(LEFTOVER);
    },
  );

  it('writes the tracking number of a reshipment into the outcome, or leaves the part out', () => {
    const withNumber = renderBuyerMessage('merchant.case_closed', 'en', {
      orderRef: 'SO-1',
      outcome: 'reshipped',
      trackingNumber: 'LX1',
    });
    expect(withNumber?.text).toBe(
      'Hello, your request about order SO-1 is now closed. A replacement has been sent to you ' +
        '(tracking number LX1). Thank you for your patience, and please let us know if anything ' +
        'is still not right.',
    );
    const without = renderBuyerMessage('merchant.case_closed', 'en', {
      orderRef: 'SO-1',
      outcome: 'reshipped',
    });
    expect(without?.text).toContain('A replacement has been sent to you. Thank you');
  });

  it('uses an outcome that is not a known code as given', () => {
    const message = renderBuyerMessage('merchant.case_closed', 'en', {
      orderRef: 'SO-1',
      outcome: 'We sent you a voucher.',
    });
    expect(message?.text).toContain('closed. We sent you a voucher. Thank you');
  });

  it('inserts values once: braces in a value are not read as placeholders', () => {
    const message = renderBuyerMessage('merchant.escalated', 'en', { orderRef: '{reason}[x]' });
    expect(message?.text).toContain('order {reason}[x] is taking');
  });

  it.each(NOTIFICATION_TYPES.filter((t) => t.startsWith('supplier.')))(
    'has no buyer message for %s',
    (type) => {
      expect(renderBuyerMessage(type, 'fr', ALL_VARS)).toBeNull();
      expect(isBuyerFacing(type)).toBe(false);
    },
  );

  it('has no buyer message for merchant.decision_required (the merchant decides first)', () => {
    expect(renderBuyerMessage('merchant.decision_required', 'en', ALL_VARS)).toBeNull();
  });

  it.each([
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    ['es_MX', 'es'],
    ['de-AT', 'de'],
    ['zh-Hans-CN', 'zh'],
    ['zh_TW', 'zh'],
    [' en-GB ', 'en'],
    ['it', 'en'],
    ['pt-BR', 'en'],
    ['', 'en'],
    ['fra', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ])('writes to a buyer speaking %j in %s', (requested, expected) => {
    expect(resolveBuyerLanguage(requested)).toBe(expected);
    const message = renderBuyerMessage('merchant.escalated', requested, ALL_VARS);
    expect(message).toEqual({
      language: expected,
      text: renderBuyerMessage('merchant.escalated', expected, ALL_VARS)?.text,
    });
  });
});

describe('renderTemplate', () => {
  it.each([
    ['a {x} b', { x: '1' }, 'a 1 b'],
    ['a {x} b', {}, 'a  b'],
    ['a[ ({x})] b', { x: '1' }, 'a (1) b'],
    ['a[ ({x})] b', { x: '  ' }, 'a b'],
    ['a[ ({x} {y})] b', { x: '1' }, 'a b'],
    ['a[ static] b', {}, 'a static b'],
    ['{toString}{constructor}', {}, ''],
  ])('renders %j with %j as %j', (template, vars, expected) => {
    expect(renderTemplate(template, vars as Record<string, string>)).toBe(expected);
  });
});
