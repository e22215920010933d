/**
 * The text a merchant can pass on to the buyer when a notification concerns the buyer
 * (api.md "Outbound notifications": "a message text in `buyerLanguage`, at least en, fr, es, de, zh").
 *
 * Templates are data (`templates/<language>.json`) so that a translator can edit them without
 * reading code. They are imported, not read from disk, so that TypeScript compiles them into
 * `dist/` and jest loads them from `src/` alike.
 *
 * Template syntax, kept deliberately small:
 * - `{name}`: replaced by `vars.name`; a missing variable renders as nothing.
 * - `[ ... ]`: an optional part, rendered only when every `{name}` inside it has a non-blank value,
 *   so that a missing tracking number drops "(tracking number )" instead of printing it empty.
 */
import { NotificationType, Outcome, OUTCOMES } from '../../workflows/workflow.types';
import de from './templates/de.json';
import en from './templates/en.json';
import es from './templates/es.json';
import fr from './templates/fr.json';
import zh from './templates/zh.json';

/**
 * Notifications whose news is the buyer's too. The `supplier.*` ones go to the supplier, and
 * `merchant.decision_required` asks the merchant to choose between a refund and another supplier:
 * what the buyer should hear depends on that choice, so it gets its text at `merchant.case_closed`.
 */
export const BUYER_FACING_NOTIFICATIONS = [
  'merchant.customs_reminder',
  'merchant.verification_rejected',
  'merchant.escalated',
  'merchant.case_closed',
] as const satisfies readonly NotificationType[];
export type BuyerFacingNotification = (typeof BUYER_FACING_NOTIFICATIONS)[number];

/** Languages with templates; anything else falls back to English. */
export const BUYER_LANGUAGES = ['en', 'fr', 'es', 'de', 'zh'] as const;
export type BuyerLanguage = (typeof BUYER_LANGUAGES)[number];
export const DEFAULT_BUYER_LANGUAGE: BuyerLanguage = 'en';

/** The shape of one `templates/<language>.json` file. */
export interface BuyerMessageCatalog {
  /** One template per buyer-facing notification. */
  messages: Record<BuyerFacingNotification, string>;
  /** One sentence per outcome, put in `{outcome}` of `merchant.case_closed`. */
  outcomes: Record<Outcome, string>;
}

// Typed as the catalog: a language file that lacks a notification or an outcome does not compile.
const CATALOGS: Record<BuyerLanguage, BuyerMessageCatalog> = { en, fr, es, de, zh };

/** True when `type` has a buyer message (see {@link BUYER_FACING_NOTIFICATIONS}). */
export function isBuyerFacing(type: string): type is BuyerFacingNotification {
  return (BUYER_FACING_NOTIFICATIONS as readonly string[]).includes(type);
}

/**
 * The language to write in for a buyer's `buyerLanguage` tag: its base language when we have it
 * (`fr-CA`, `FR`, `zh_Hant_TW` -> `fr`, `fr`, `zh`), else English.
 */
export function resolveBuyerLanguage(language: string | null | undefined): BuyerLanguage {
  if (typeof language !== 'string') return DEFAULT_BUYER_LANGUAGE;
  const base = language.trim().toLowerCase().split(/[-_]/)[0];
  return (BUYER_LANGUAGES as readonly string[]).includes(base)
    ? (base as BuyerLanguage)
    : DEFAULT_BUYER_LANGUAGE;
}

/**
 * The buyer's wording of an outcome (`refunded` -> "A refund has been issued for your order; ..."),
 * with `vars` filled in (`trackingNumber` for `reshipped` and `shipped`).
 */
export function outcomeText(
  outcome: Outcome,
  language: string | null | undefined,
  vars: Record<string, string> = {},
): string {
  return renderTemplate(CATALOGS[resolveBuyerLanguage(language)].outcomes[outcome], vars);
}

/**
 * The buyer's message for a notification, or null when the notification is not for the buyer.
 *
 * `vars` used by the templates: `orderRef`, `trackingNumber`, `reason` (a rejected verification)
 * and `outcome` (`merchant.case_closed`). An `outcome` that is one of OUTCOMES is replaced by its
 * sentence in the buyer's language; any other value is used as given. Missing variables render as
 * nothing; the text never keeps a `{placeholder}`.
 *
 * @returns the language actually used (after fallback) and the text
 */
export function renderBuyerMessage(
  type: NotificationType,
  language: string | null | undefined,
  vars: Record<string, string>,
): { language: string; text: string } | null {
  if (!isBuyerFacing(type)) return null;
  const resolved = resolveBuyerLanguage(language);
  const filled = { ...vars };
  if (isOutcome(vars.outcome)) filled.outcome = outcomeText(vars.outcome, resolved, vars);
  return { language: resolved, text: renderTemplate(CATALOGS[resolved].messages[type], filled) };
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const OPTIONAL_PART = /\[([^[\]]*)\]/g;

/**
 * Fills a template (syntax in the file header). Exported for tests and for any other text kept as
 * data; values are inserted once, never re-read as template syntax.
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const value = (name: string): string => {
    const v = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    return typeof v === 'string' ? v : '';
  };
  return template
    .replace(OPTIONAL_PART, (_, inner: string) => {
      const names = [...inner.matchAll(PLACEHOLDER)].map((m) => m[1]);
      return names.every((name) => value(name).trim() !== '') ? inner : '';
    })
    .replace(PLACEHOLDER, (_, name: string) => value(name));
}

function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}
