import type { CaseView } from '../cases/case.view';
import type { CaseMessage } from '../timeline/timeline.service';
import {
  ON_BEHALF_PAYLOAD_FIELDS,
  optionalPayloadFields,
  requiredPayloadFields,
} from '../workflows';

/**
 * Events a link's page offers no form for: `NOTE` is internal to the merchant and ops (a supplier
 * never sees one back), and messages have their own box.
 */
const NO_FORM: ReadonlySet<string> = new Set(['NOTE', 'MESSAGE']);

/** Languages the supplier page is written in; any other falls back to English. */
export const SUPPLIER_PAGE_LANGUAGES = ['en', 'zh'] as const;

/** One form of the page: an event the supplier may send now, with its payload fields. */
export interface PortalForm {
  type: string;
  required: string[];
  optional: string[];
}

/** The page's language: the supplier's when the page has it, else English. */
export function pageLanguage(language: string | null, offered: readonly string[]): string {
  const base = (language ?? '').toLowerCase().split(/[-_]/)[0];
  return offered.includes(base) ? base : 'en';
}

/**
 * The supplier's case view behind a link (collaboration.md): the order, the problem, the state and
 * what the supplier may send now (with each event's payload fields), the evidence, the messages
 * and the deadlines still running. Pure: from the case as the supplier role sees it.
 */
export function portalView(
  view: CaseView,
  extras: {
    language: string | null;
    messages: CaseMessage[];
    expiresAt: Date;
    contentUrl: (evidenceId: string) => string;
  },
) {
  const order = view.order as {
    ref?: string;
    items?: unknown[];
    destinationCountry?: string;
    originCountry?: string;
    trackingNumber?: string | null;
  };
  return {
    caseId: view.id,
    language: pageLanguage(extras.language, SUPPLIER_PAGE_LANGUAGES),
    type: view.type,
    state: view.state,
    status: view.status,
    outcome: view.outcome,
    version: view.version,
    waitingOn: view.waitingOn,
    firstSupplierResponseAt: view.firstSupplierResponseAt,
    order: {
      ref: order.ref ?? null,
      items: order.items ?? [],
      shipToCountry: order.destinationCountry ?? null,
      originCountry: order.originCountry ?? null,
      trackingNumber: order.trackingNumber ?? null,
    },
    problem: {
      type: view.type,
      description: view.description,
      preferredResolution: view.preferredResolution,
    },
    allowedEvents: view.allowedEvents,
    forms: view.allowedEvents
      .filter((type) => !NO_FORM.has(type))
      .map(
        (type): PortalForm => ({
          type,
          required: requiredPayloadFields(type),
          // A supplier sends its own outcome: the relay's fields are the merchant's.
          optional: optionalPayloadFields(type).filter(
            (field) => !ON_BEHALF_PAYLOAD_FIELDS.includes(field),
          ),
        }),
      ),
    evidence: view.evidence.map((e) => ({
      id: e.id,
      kind: e.kind,
      description: e.description,
      sha256: e.sha256,
      url: e.url,
      contentUrl: e.contentUrl ? extras.contentUrl(e.id) : null,
      createdAt: e.createdAt,
    })),
    messages: extras.messages,
    deadlines: view.deadlines
      .filter((d) => d.firedAt === null)
      .map((d) => ({ kind: d.kind, dueAt: d.dueAt })),
    linkExpiresAt: extras.expiresAt.toISOString(),
  };
}

export type PortalView = ReturnType<typeof portalView>;
