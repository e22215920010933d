/**
 * The contract's codes (case types, states, outcomes, deadline kinds, parties, events, a diagram's
 * guard words) in the merchant's words, French and English. A code missing here shows as the
 * machine spells it (the code itself stays in a tooltip for support). The unit spec
 * src/workflows/console-labels.spec.ts (jest runs specs under src/ only) fails when a machine of
 * the registry, in any version, has a state, outcome, timer kind, event or guard not here in both
 * languages. Pure data and functions, no DOM: the spec reads it under Node.
 */
/** The console's languages (i18n.ts chooses one). */
export type Lang = 'fr' | 'en';

type Words = Record<string, { fr: string; en: string }>;

const CASE_TYPES: Words = {
  out_of_stock: { fr: 'Rupture de stock', en: 'Out of stock' },
  oversize: { fr: 'Colis hors format', en: 'Oversize parcel' },
  late_shipment: { fr: 'Expédition en retard', en: 'Late shipment' },
  unresponsive_supplier: { fr: 'Fournisseur sans réponse', en: 'Unresponsive supplier' },
  customs_delay: { fr: 'Retenue en douane', en: 'Customs delay' },
  wrong_item: { fr: 'Mauvais article', en: 'Wrong item' },
  missing_item: { fr: 'Article manquant', en: 'Missing item' },
  damaged_item: { fr: 'Article endommagé', en: 'Damaged item' },
  address_error: { fr: "Erreur d'adresse", en: 'Address error' },
  buyer_cancellation: { fr: 'Annulation acheteur', en: 'Buyer cancellation' },
  lost_parcel: { fr: 'Colis perdu', en: 'Lost parcel' },
  payment_dispute: { fr: 'Litige de paiement', en: 'Payment dispute' },
};

/** Every state of every machine, every version (`opening` is a choice a case only passes). */
const STATES: Words = {
  opening: { fr: 'ouverture', en: 'opening' },
  awaiting_decision: { fr: 'décision attendue', en: 'awaiting decision' },
  refund_pending: { fr: 'remboursement attendu', en: 'refund pending' },
  escalated: { fr: 'escaladé aux ops', en: 'escalated to ops' },
  closed: { fr: 'clos', en: 'closed' },
  awaiting_shipment: { fr: 'expédition attendue', en: 'awaiting shipment' },
  supplier_nudged: { fr: 'fournisseur relancé', en: 'supplier nudged' },
  awaiting_supplier_reply: { fr: 'réponse du fournisseur attendue', en: 'awaiting supplier reply' },
  supplier_replied: { fr: 'le fournisseur a répondu', en: 'supplier replied' },
  awaiting_clearance: { fr: 'dédouanement attendu', en: 'awaiting customs clearance' },
  awaiting_evidence: { fr: 'preuves attendues', en: 'awaiting evidence' },
  awaiting_verification: { fr: 'vérification en cours', en: 'awaiting verification' },
  verification_rejected: { fr: 'vérification refusée', en: 'verification rejected' },
  resolution_pending: { fr: 'résolution attendue', en: 'resolution pending' },
  interception_requested: { fr: 'interception demandée', en: 'interception requested' },
  awaiting_carrier: { fr: 'réponse du transporteur attendue', en: 'awaiting the carrier' },
  preparing_response: { fr: 'réponse en préparation', en: 'preparing the response' },
};

const OUTCOMES: Words = {
  withdrawn: { fr: 'retiré', en: 'withdrawn' },
  refunded: { fr: 'remboursé', en: 'refunded' },
  reshipped: { fr: 'réexpédié', en: 'reshipped' },
  force_closed: { fr: 'clos par les ops', en: 'closed by ops' },
  supplier_switched: { fr: 'fournisseur changé', en: 'supplier switched' },
  shipped: { fr: 'expédié', en: 'shipped' },
  supplier_responded: { fr: 'le fournisseur a répondu', en: 'supplier responded' },
  cleared: { fr: 'dédouané', en: 'cleared customs' },
  expired: { fr: 'expiré', en: 'expired' },
  rejected: { fr: 'refusé', en: 'rejected' },
  address_corrected: { fr: 'adresse corrigée', en: 'address corrected' },
  ineligible: { fr: 'non éligible', en: 'ineligible' },
  intercepted_refunded: { fr: 'intercepté et remboursé', en: 'intercepted and refunded' },
  not_intercepted: { fr: 'non intercepté', en: 'not intercepted' },
  found: { fr: 'colis retrouvé', en: 'parcel found' },
  delivered: { fr: 'livré', en: 'delivered' },
  won: { fr: 'litige gagné', en: 'dispute won' },
  lost: { fr: 'litige perdu', en: 'dispute lost' },
  accepted: { fr: 'litige accepté', en: 'dispute accepted' },
  partially_refunded: { fr: 'remboursé en partie', en: 'partially refunded' },
  written_off: { fr: 'abandonné', en: 'written off' },
};

/** Deadline kinds (a timer's `kind`): what is awaited by then. */
const DEADLINES: Words = {
  supplier_response: { fr: 'réponse du fournisseur', en: 'supplier response' },
  refund_due: { fr: 'remboursement dû', en: 'refund due' },
  resolution_due: { fr: 'résolution due', en: 'resolution due' },
  customs_due: { fr: 'dédouanement dû', en: 'customs clearance due' },
  late_2d: { fr: 'retard de 2 jours', en: '2 days late' },
  late_4d: { fr: 'retard de 4 jours', en: '4 days late' },
  evidence_due: { fr: 'preuves dues', en: 'evidence due' },
  appeal_due: { fr: 'délai de contestation', en: 'appeal due' },
  customs_reminder: { fr: 'relance douane', en: 'customs reminder' },
  verification_due: { fr: 'vérification due', en: 'verification due' },
  decision_reminder: { fr: 'rappel de décision', en: 'decision reminder' },
  ops_due: { fr: 'traitement ops dû', en: 'ops due' },
  carrier_due: { fr: 'réponse du transporteur', en: 'carrier answer due' },
  external_due: { fr: 'réponse au litige', en: 'dispute response due' },
  platform_window: { fr: 'fermeture du délai plateforme', en: 'platform window closing' },
  buyer_response: { fr: "réponse de l'acheteur", en: 'buyer response' },
};

/** Who acts or waits (`waitingOn`, a deadline's party, a timeline entry's actor). */
const PARTIES: Words = {
  merchant: { fr: 'vous', en: 'you' },
  supplier: { fr: 'fournisseur', en: 'supplier' },
  ops: { fr: 'ops', en: 'ops' },
  buyer: { fr: 'acheteur', en: 'buyer' },
  system: { fr: 'système', en: 'system' },
  carrier: { fr: 'transporteur', en: 'carrier' },
};

/** Events, and the timeline's own entries (CASE_OPENED...). */
const EVENTS: Words = {
  CASE_OPENED: { fr: 'Dossier ouvert', en: 'Case opened' },
  EVIDENCE_ADDED: { fr: 'Preuve ajoutée', en: 'Evidence added' },
  SLA_BREACHED: { fr: 'Échéance dépassée', en: 'Deadline breached' },
  FEEDBACK_RECORDED: { fr: 'Avis enregistré', en: 'Feedback recorded' },
  WITHDRAW: { fr: 'Retirer le dossier', en: 'Withdraw the case' },
  NOTE: { fr: 'Ajouter une note', en: 'Add a note' },
  MESSAGE: { fr: 'Message', en: 'Message' },
  ESCALATE: { fr: 'Escalader aux ops', en: 'Escalate to ops' },
  FORCE_REFUND: { fr: 'Remboursement imposé', en: 'Force a refund' },
  FORCE_RESHIP: { fr: 'Réexpédition imposée', en: 'Force a reshipment' },
  FORCE_CLOSE: { fr: 'Clôture imposée', en: 'Force close' },
  REQUEST_REFUND: { fr: 'Demander le remboursement', en: 'Request a refund' },
  SWITCH_SUPPLIER: { fr: 'Changer de fournisseur', en: 'Switch supplier' },
  SUBMIT_EVIDENCE: { fr: 'Soumettre les preuves', en: 'Submit the evidence' },
  CHOOSE_RESOLUTION: { fr: 'Choisir la résolution', en: 'Choose the resolution' },
  APPEAL: { fr: 'Contester', en: 'Appeal' },
  ACCEPT_REJECTION: { fr: 'Accepter le refus', en: 'Accept the rejection' },
  ADDRESS_CORRECTED: { fr: 'Adresse corrigée', en: 'Address corrected' },
  SHIPPED: { fr: 'Expédié', en: 'Shipped' },
  SUPPLIER_REPLIED: { fr: 'Réponse du fournisseur', en: 'Supplier replied' },
  VERIFICATION_CONFIRMED: { fr: 'Vérification confirmée', en: 'Verification confirmed' },
  VERIFICATION_REJECTED: { fr: 'Vérification refusée', en: 'Verification rejected' },
  REFUNDED: { fr: 'Remboursé', en: 'Refunded' },
  RESHIPPED: { fr: 'Réexpédié', en: 'Reshipped' },
  INTERCEPTED: { fr: 'Intercepté', en: 'Intercepted' },
  INTERCEPTION_FAILED: { fr: 'Interception échouée', en: 'Interception failed' },
  CLEARED: { fr: 'Dédouané', en: 'Cleared customs' },
  RETURNED_TO_SENDER: { fr: "Retourné à l'expéditeur", en: 'Returned to sender' },
  ACKNOWLEDGED: { fr: 'Pris en compte', en: 'Acknowledged' },
  FOUND: { fr: 'Colis retrouvé', en: 'Parcel found' },
  DELIVERED: { fr: 'Livré', en: 'Delivered' },
  DECLARED_LOST: { fr: 'Déclarer perdu', en: 'Declare lost' },
  RESPONSE_SUBMITTED: { fr: 'Réponse envoyée', en: 'Response submitted' },
  DISPUTE_WON: { fr: 'Litige gagné', en: 'Dispute won' },
  DISPUTE_LOST: { fr: 'Litige perdu', en: 'Dispute lost' },
  DISPUTE_ACCEPTED: { fr: 'Litige accepté', en: 'Dispute accepted' },
  SET_LIABILITY: { fr: 'Responsabilité fixée', en: 'Liability set' },
  BUYER_CONTACTED: { fr: 'Acheteur contacté', en: 'Buyer contacted' },
  BUYER_ANSWERED: { fr: "Réponse de l'acheteur", en: 'Buyer answered' },
  CUSTOMS_HELD: { fr: 'Retenu en douane', en: 'Held at customs' },
  ACCEPT_PARTIAL: { fr: 'Accepter le partiel', en: 'Accept the partial refund' },
  BUYER_REFUNDED: { fr: 'Acheteur remboursé', en: 'Buyer refunded' },
  TIMER_FIRED: { fr: 'Échéance atteinte', en: 'Deadline reached' },
  always: { fr: 'aussitôt', en: 'at once' },
};

/**
 * A diagram's guard, keyed by the words GET /v1/workflows/:type writes in its Mermaid text
 * (src/workflows/workflow.mermaid.ts GUARD_WORDS: `REFUNDED [in full]`).
 */
const GUARDS: Words = {
  'with a photo or video': { fr: 'avec une photo ou une vidéo', en: 'with a photo or video' },
  'first appeal with new evidence': {
    fr: 'première contestation, avec de nouvelles preuves',
    en: 'first appeal with new evidence',
  },
  'shipped internationally': { fr: "expédié à l'international", en: 'shipped internationally' },
  'order shipped': { fr: 'commande expédiée', en: 'order shipped' },
  'order not shipped': { fr: 'commande non expédiée', en: 'order not shipped' },
  'from the supplier': { fr: 'du fournisseur', en: 'from the supplier' },
  'if it ends the escalated step': {
    fr: "s'il termine l'étape escaladée",
    en: 'if it ends the escalated step',
  },
  'in full': { fr: 'en totalité', en: 'in full' },
  'in full if it ends the escalated step': {
    fr: "en totalité, s'il termine l'étape escaladée",
    en: 'in full if it ends the escalated step',
  },
  'partial if it ends the escalated step': {
    fr: "en partie, s'il termine l'étape escaladée",
    en: 'partial if it ends the escalated step',
  },
  'after a partial refund': { fr: 'après un remboursement partiel', en: 'after a partial refund' },
};

/**
 * A timeline entry, where an event's label is a button's words (`Ajouter une note`) that would
 * read wrong in the history; every other entry is said by its event's label.
 */
const ENTRIES: Words = {
  NOTE: { fr: 'Note', en: 'Note' },
  WITHDRAW: { fr: 'Dossier retiré', en: 'Case withdrawn' },
  ESCALATE: { fr: 'Escaladé aux ops', en: 'Escalated to ops' },
  REQUEST_REFUND: { fr: 'Remboursement demandé', en: 'Refund requested' },
  SWITCH_SUPPLIER: { fr: 'Fournisseur changé', en: 'Supplier switched' },
  SUBMIT_EVIDENCE: { fr: 'Preuves soumises', en: 'Evidence submitted' },
  CHOOSE_RESOLUTION: { fr: 'Résolution choisie', en: 'Resolution chosen' },
  APPEAL: { fr: 'Contestation', en: 'Appeal' },
  ACCEPT_REJECTION: { fr: 'Refus accepté', en: 'Rejection accepted' },
  ACCEPT_PARTIAL: { fr: 'Remboursement partiel accepté', en: 'Partial refund accepted' },
  DECLARED_LOST: { fr: 'Déclaré perdu', en: 'Declared lost' },
};

/** A ledger entry's kind (money.md). */
const LEDGER: Words = {
  supplier_refund: { fr: 'remboursement fournisseur', en: 'supplier refund' },
  buyer_refund: { fr: "remboursement à l'acheteur", en: 'buyer refund' },
  written_off: { fr: 'abandon', en: 'written off' },
};

export const LABELS = {
  caseType: CASE_TYPES,
  state: STATES,
  outcome: OUTCOMES,
  deadline: DEADLINES,
  party: PARTIES,
  event: EVENTS,
  entry: ENTRIES,
  guard: GUARDS,
  ledger: LEDGER,
} as const;
export type LabelKind = keyof typeof LABELS;

/** `refund_pending` -> `refund pending`: a code with no label, readable. */
export const humanize = (name: string) => name.replace(/[_.]/g, ' ');

/**
 * A code in the user's words; a code with no label shows as the machine spells it, readable. A
 * nested state (`a.b`) is said by its innermost part.
 */
export function labelOf(kind: LabelKind, code: string, lang: Lang): string {
  const table: Words = LABELS[kind];
  const found = Object.hasOwn(table, code) ? table[code] : undefined;
  if (found) return found[lang];
  const leaf = code.split('.').pop() ?? code;
  if (leaf !== code && Object.hasOwn(table, leaf)) return table[leaf][lang];
  if (kind === 'entry') return labelOf('event', code, lang);
  return kind === 'event' ? humanize(code.toLowerCase()) : humanize(code);
}

/** Whether a code has its own label (the spec's check; unlabelled codes still show, humanized). */
export function isLabelled(kind: LabelKind, code: string): boolean {
  return Object.hasOwn(LABELS[kind], code);
}

/** One transition of a diagram's edge text: `REFUNDED [in full]`, `TIMER_FIRED(evidence_due)`. */
export interface EdgePart {
  event: string;
  kind?: string;
  guard?: string;
}

/**
 * The transitions of a Mermaid edge's text (`WITHDRAW, REFUNDED [in full]`), as
 * src/workflows/workflow.mermaid.ts writes them; null for a part it does not write.
 */
export function edgeParts(text: string): (EdgePart | null)[] {
  return text
    .split(/,\s*/)
    .filter((part) => part.trim())
    .map((part) => {
      const m = /^(\w+)(?:\((\w+)\))?(?: \[([^\]]+)\])?$/.exec(part.trim());
      if (!m) return null;
      return { event: m[1], ...(m[2] ? { kind: m[2] } : {}), ...(m[3] ? { guard: m[3] } : {}) };
    });
}

/** An edge's text in words: `Remboursé (en totalité) · Échéance atteinte : preuves dues`. */
export function edgeWords(text: string, lang: Lang): string {
  const colon = lang === 'fr' ? ' : ' : ': ';
  return edgeParts(text)
    .map((part, i) => {
      if (!part) return text.split(/,\s*/)[i] ?? '';
      let words = labelOf('event', part.event, lang);
      if (part.kind) words += colon + labelOf('deadline', part.kind, lang);
      if (part.guard)
        words += ` (${Object.hasOwn(GUARDS, part.guard) ? GUARDS[part.guard][lang] : part.guard})`;
      return words;
    })
    .join(' · ');
}
