/**
 * The merchant console's words, in French (the seeds' language, and the default) and English.
 * The language is the user's choice, remembered in localStorage; the first visit follows the
 * browser's language when it is one of these two.
 */
import { edgeWords, labelOf, type LabelKind, type Lang } from './labels';

export type { Lang };
export const LANGUAGES: readonly Lang[] = ['fr', 'en'];
const STORE = 'redress.lang';

/** The remembered choice, else the browser's language (fr or en), else French. */
export function chooseLanguage(): Lang {
  const stored = localStorage.getItem(STORE);
  if (stored === 'fr' || stored === 'en') return stored;
  const browser = (navigator.language || '').slice(0, 2).toLowerCase();
  return browser === 'en' ? 'en' : 'fr';
}

export function rememberLanguage(lang: Lang): void {
  localStorage.setItem(STORE, lang);
}

const FR = {
  lang: 'fr' as Lang,
  title: 'Redress — console marchand',
  language: 'Langue',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  key: 'Clé API marchand',
  keyHint: "La clé reste dans cet onglet (sessionStorage) et n'est envoyée qu'à ce serveur.",
  notMerchantKey: "Ce n'est pas une clé marchand (403)",
  keyRefused: 'La clé a été refusée (401)',
  nav: 'Navigation',
  navQueues: 'Dossiers',
  navNew: 'Ouvrir un dossier',
  navMoney: 'Argent',
  queues: 'Files de dossiers',
  queue: { needs: 'À traiter', due: 'Échéance proche', breached: 'En dépassement', all: 'Tous' },
  filters: 'Filtres',
  type: 'Type',
  status: 'Statut',
  any: 'tous',
  open: 'ouvert',
  closed: 'clos',
  orderRef: 'Réf. commande',
  search: 'Rechercher',
  more: 'Plus',
  noCase: 'Aucun dossier.',
  col: {
    order: 'Commande',
    type: 'Type',
    state: 'État',
    waitingOn: 'Attend',
    deadline: 'Échéance',
    opened: 'Ouvert le',
  },
  breached: 'dépassé',
  /** A contract code (state, outcome, deadline kind, party, event...) in French (labels.ts). */
  label: (kind: LabelKind, code: string) => labelOf(kind, code, 'fr'),
  caseType: (type: string) => labelOf('caseType', type, 'fr'),
  left: (span: string) => `reste ${span}`,
  late: (span: string) => `en retard de ${span}`,
  // New case
  newCase: 'Ouvrir un dossier',
  findOrder: 'Chercher la commande',
  orderFound: (ref: string) => `Commande ${ref} trouvée : choisissez les lignes réclamées.`,
  orderMissing: (ref: string) => `Aucune commande ${ref} : décrivez-la ci-dessous.`,
  orderForm: 'La commande',
  placedAt: 'Passée le',
  origin: "Pays d'origine",
  destination: 'Pays de destination',
  sku: 'SKU',
  quantity: 'Quantité',
  unitPrice: 'Prix unitaire',
  currency: 'Devise',
  addLine: 'Ajouter une ligne',
  claimLines: 'Lignes réclamées',
  claimAmount: 'Montant réclamé (facultatif)',
  supplierId: 'Fournisseur (id)',
  description: 'Description',
  resolution: 'Résolution souhaitée',
  reship: 'réexpédition',
  refund: 'remboursement',
  openIt: 'Ouvrir le dossier',
  // Case page
  back: 'Retour aux dossiers',
  caseTitle: (ref: string) => `Dossier ${ref}`,
  state: 'État',
  workflow: 'Déroulé',
  diagram: {
    label: (type: string) => `déroulé : ${labelOf('caseType', type, 'fr')}`,
    source: 'Source Mermaid',
    state: (state: string) => labelOf('state', state, 'fr'),
    edge: (text: string) => edgeWords(text, 'fr'),
  },
  deadline: 'Échéance',
  noDeadline: 'Aucune échéance en cours.',
  closedWith: (outcome: string) => `Dossier clos : ${outcome}.`,
  dueOn: (kind: string, party: string, at: string) => `${kind} (${party}) — le ${at}`,
  claim: 'Réclamation',
  supplier: 'Fournisseur',
  itemsLegend: 'Lignes concernées',
  messages: 'Messages avec le fournisseur',
  noMessage: 'Aucun message.',
  message: 'Message',
  send: 'Envoyer',
  evidence: 'Preuves',
  noEvidence: 'Aucune preuve.',
  upload: 'Photo, vidéo ou document',
  evidenceKind: 'Nature',
  kinds: { photo: 'photo', video: 'vidéo', document: 'document' } as Record<string, string>,
  uploadIt: 'Téléverser',
  uploaded: 'Fichier ajouté.',
  links: 'Liens',
  supplierLink: 'Lien fournisseur',
  buyerLink: 'Lien acheteur',
  createLink: 'Créer',
  copy: 'Copier',
  copied: 'Copié.',
  linkExpires: (at: string) => `expire le ${at}`,
  actions: 'Actions',
  noAction: 'Aucune action possible dans cet état.',
  relays: 'Pour le compte du fournisseur',
  relaysHint:
    'Le fournisseur vous a répondu ailleurs (chat, e-mail) ? Enregistrez sa réponse avec la preuve (capture, reçu) ajoutée au dossier.',
  relayed: (event: string) => `${event} (par le fournisseur)`,
  done: (event: string) => `Fait : ${event}.`,
  required: 'obligatoire',
  ledger: 'Argent du dossier',
  ledgerRows: {
    claimed: 'Réclamé',
    supplierRefunded: 'Remboursé par le fournisseur',
    outstanding: 'Restant dû',
    buyerRefunded: "Remboursé à l'acheteur",
    writtenOff: 'Abandonné',
    net: 'Solde',
  } as Record<string, string>,
  timeline: 'Historique',
  intact: '✔ chaîne intacte',
  broken: '✘ chaîne rompue',
  col2: {
    seq: 'N°',
    at: 'Date',
    event: 'Événement',
    by: 'Par',
    change: 'Changement',
    data: 'Détails',
  },
  // Money
  money: 'Créances par fournisseur',
  noMoney: 'Aucune créance.',
  csv: 'Télécharger en CSV',
  col3: {
    supplier: 'Fournisseur',
    currency: 'Devise',
    claimed: 'Réclamé',
    refunded: 'Remboursé',
    outstanding: 'Restant dû',
    overdue: 'En retard',
    openCases: 'Dossiers ouverts',
  },
  failed: (why: string) => `Échec : ${why}`,
  loading: 'Chargement…',
  /** Payload field names. */
  fields: {
    reason: 'Motif',
    text: 'Texte',
    amount: 'Montant',
    currency: 'Devise',
    reference: 'Référence',
    channel: 'Canal',
    trackingNumber: 'N° de suivi',
    carrier: 'Transporteur',
    resolution: 'Résolution',
    supplierId: 'Fournisseur (id)',
    orderRef: 'Réf. commande',
    onBehalfOfSupplier: 'Pour le compte du fournisseur',
    proofEvidenceId: 'Preuve',
  } as Record<string, string>,
};

export type Words = typeof FR;

const EN: Words = {
  lang: 'en',
  title: 'Redress — merchant console',
  language: 'Language',
  signIn: 'Sign in',
  signOut: 'Sign out',
  key: 'Merchant API key',
  keyHint: 'The key stays in this tab (sessionStorage) and goes only to this server.',
  notMerchantKey: 'This is not a merchant key (403)',
  keyRefused: 'The key was refused (401)',
  nav: 'Navigation',
  navQueues: 'Cases',
  navNew: 'Open a case',
  navMoney: 'Money',
  queues: 'Case queues',
  queue: { needs: 'Needs you', due: 'Due soon', breached: 'Breached', all: 'All' },
  filters: 'Filters',
  type: 'Type',
  status: 'Status',
  any: 'any',
  open: 'open',
  closed: 'closed',
  orderRef: 'Order ref',
  search: 'Search',
  more: 'More',
  noCase: 'No case.',
  col: {
    order: 'Order',
    type: 'Type',
    state: 'State',
    waitingOn: 'Waiting on',
    deadline: 'Deadline',
    opened: 'Opened',
  },
  breached: 'breached',
  label: (kind, code) => labelOf(kind, code, 'en'),
  caseType: (type) => labelOf('caseType', type, 'en'),
  left: (span) => `${span} left`,
  late: (span) => `overdue by ${span}`,
  newCase: 'Open a case',
  findOrder: 'Find the order',
  orderFound: (ref) => `Order ${ref} found: choose the lines you claim.`,
  orderMissing: (ref) => `No order ${ref}: describe it below.`,
  orderForm: 'The order',
  placedAt: 'Placed on',
  origin: 'Origin country',
  destination: 'Destination country',
  sku: 'SKU',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  currency: 'Currency',
  addLine: 'Add a line',
  claimLines: 'Claimed lines',
  claimAmount: 'Amount claimed (optional)',
  supplierId: 'Supplier (id)',
  description: 'Description',
  resolution: 'Preferred resolution',
  reship: 'reship',
  refund: 'refund',
  openIt: 'Open the case',
  back: 'Back to the cases',
  caseTitle: (ref) => `Case ${ref}`,
  state: 'State',
  workflow: 'Workflow',
  diagram: {
    label: (type) => `workflow: ${labelOf('caseType', type, 'en')}`,
    source: 'Mermaid source',
    state: (state) => labelOf('state', state, 'en'),
    edge: (text) => edgeWords(text, 'en'),
  },
  deadline: 'Deadline',
  noDeadline: 'No deadline running.',
  closedWith: (outcome) => `Case closed: ${outcome}.`,
  dueOn: (kind, party, at) => `${kind} (${party}) — on ${at}`,
  claim: 'Claim',
  supplier: 'Supplier',
  itemsLegend: 'Lines concerned',
  messages: 'Messages with the supplier',
  noMessage: 'No message.',
  message: 'Message',
  send: 'Send',
  evidence: 'Evidence',
  noEvidence: 'No evidence.',
  upload: 'Photo, video or document',
  evidenceKind: 'Kind',
  kinds: { photo: 'photo', video: 'video', document: 'document' },
  uploadIt: 'Upload',
  uploaded: 'File added.',
  links: 'Links',
  supplierLink: 'Supplier link',
  buyerLink: 'Buyer link',
  createLink: 'Create',
  copy: 'Copy',
  copied: 'Copied.',
  linkExpires: (at) => `expires ${at}`,
  actions: 'Actions',
  noAction: 'No action in this state.',
  relays: 'On behalf of the supplier',
  relaysHint:
    'The supplier answered elsewhere (chat, email)? Record its answer with the proof (screenshot, receipt) added to the case.',
  relayed: (event) => `${event} (by the supplier)`,
  done: (event) => `Done: ${event}.`,
  required: 'required',
  ledger: "The case's money",
  ledgerRows: {
    claimed: 'Claimed',
    supplierRefunded: 'Refunded by the supplier',
    outstanding: 'Outstanding',
    buyerRefunded: 'Refunded to the buyer',
    writtenOff: 'Written off',
    net: 'Net',
  },
  timeline: 'Timeline',
  intact: '✔ hash chain intact',
  broken: '✘ hash chain broken',
  col2: { seq: 'Seq', at: 'At', event: 'Event', by: 'By', change: 'Change', data: 'Details' },
  money: 'Receivables per supplier',
  noMoney: 'No receivable.',
  csv: 'Download as CSV',
  col3: {
    supplier: 'Supplier',
    currency: 'Currency',
    claimed: 'Claimed',
    refunded: 'Refunded',
    outstanding: 'Outstanding',
    overdue: 'Overdue',
    openCases: 'Open cases',
  },
  failed: (why) => `Failed: ${why}`,
  loading: 'Loading…',
  fields: {
    reason: 'Reason',
    text: 'Text',
    amount: 'Amount',
    currency: 'Currency',
    reference: 'Reference',
    channel: 'Channel',
    trackingNumber: 'Tracking number',
    carrier: 'Carrier',
    resolution: 'Resolution',
    supplierId: 'Supplier (id)',
    orderRef: 'Order ref',
    onBehalfOfSupplier: 'On behalf of the supplier',
    proofEvidenceId: 'Proof',
  },
};

export function wordsFor(lang: Lang): Words {
  return lang === 'en' ? EN : FR;
}

/** An event's name in the user's words (`Ajouter une note`), else readable (`supplier replied`). */
export const eventName = (w: Words, event: string) => w.label('event', event);

/** A span of time, `2 j 3 h 4 min` / `2d 3h 4m`. */
export function span(ms: number, lang: Lang): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const [dd, hh, mm, ss] = lang === 'fr' ? [' j', ' h', ' min', ' s'] : ['d', 'h', 'm', 's'];
  return (d ? `${d}${dd} ` : '') + `${h}${hh} ${m}${mm}` + (d ? '' : ` ${s}${ss}`);
}

/** A time in the user's language and zone: `6 déc. 2026, 18:55`. */
export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}
