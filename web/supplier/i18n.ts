/**
 * The supplier page's words, in the languages it is written in (collaboration.md: at least en and
 * zh); the API chooses the language (`language` of the view, the supplier's, English otherwise).
 */
export interface Words {
  title: string;
  deadline: string;
  noDeadline: string;
  /** How long is left (or how late), from whole days, hours and minutes. */
  left: (d: number, h: number, m: number, late: boolean) => string;
  order: string;
  orderRef: (ref: string) => string;
  sku: string;
  quantity: string;
  shipTo: (country: string) => string;
  problem: string;
  evidence: string;
  noEvidence: string;
  messages: string;
  noMessages: string;
  messageLabel: string;
  send: string;
  actions: string;
  noActions: string;
  sent: string;
  from: Record<string, string>;
  states: (state: string, status: string) => string;
  caseTypes: Record<string, string>;
  events: Record<string, string>;
  deadlines: Record<string, string>;
  fields: Record<string, string>;
  optional: string;
  failed: (message: string) => string;
}

const en: Words = {
  title: 'After-sales case',
  deadline: 'Your deadline',
  noDeadline: 'No deadline is running for you right now.',
  left: (d, h, m, late) => {
    const span = `${d ? `${d}d ` : ''}${h}h ${m}m`;
    return late ? `overdue by ${span}` : `${span} left`;
  },
  order: 'Order',
  orderRef: (ref) => `Order ${ref}`,
  sku: 'Item (SKU)',
  quantity: 'Quantity',
  shipTo: (country) => `Ships to: ${country}`,
  problem: 'The problem',
  evidence: 'Evidence',
  noEvidence: 'No evidence yet.',
  messages: 'Messages',
  noMessages: 'No messages yet.',
  messageLabel: 'Write a message to the merchant',
  send: 'Send',
  actions: 'What you can do now',
  noActions: 'Nothing is waiting on you right now.',
  sent: 'Sent.',
  from: { merchant: 'Merchant', supplier: 'You', ops: 'Support', buyer: 'Buyer', system: 'System' },
  states: (state, status) => (status === 'closed' ? `Closed (${state})` : `Open: ${state}`),
  caseTypes: {
    late_shipment: 'Late shipment',
    damaged_item: 'Damaged item',
    wrong_item: 'Wrong item',
    missing_item: 'Missing item',
    out_of_stock: 'Out of stock',
    address_error: 'Address error',
    customs_delay: 'Customs delay',
    buyer_cancellation: 'Buyer cancellation',
    unresponsive_supplier: 'No answer from supplier',
    oversize: 'Oversize parcel',
  },
  events: {
    ACKNOWLEDGED: 'Acknowledge: we are on it',
    SHIPPED: 'Shipped',
    SUPPLIER_REPLIED: 'Reply',
    VERIFICATION_CONFIRMED: 'Confirm the problem',
    VERIFICATION_REJECTED: 'Reject the claim',
    REFUNDED: 'Refunded',
    RESHIPPED: 'Reshipped',
    INTERCEPTED: 'Parcel intercepted',
    INTERCEPTION_FAILED: 'Interception failed',
    CLEARED: 'Cleared customs',
    RETURNED_TO_SENDER: 'Returned to sender',
    ADDRESS_CORRECTED: 'Address corrected',
  },
  deadlines: {
    supplier_response: 'Answer the merchant',
    verification_due: 'Confirm or reject the claim',
    refund_due: 'Refund',
    resolution_due: 'Resolve the case',
    customs_due: 'Clear customs',
  },
  fields: {
    trackingNumber: 'Tracking number',
    carrier: 'Carrier',
    reason: 'Reason',
    amount: 'Amount',
    currency: 'Currency (e.g. USD)',
    text: 'Text',
  },
  optional: 'optional',
  failed: (message) => `Not sent: ${message}`,
};

const zh: Words = {
  title: '售后案件',
  deadline: '您的截止时间',
  noDeadline: '目前没有需要您处理的截止时间。',
  left: (d, h, m, late) => {
    const span = `${d ? `${d}天` : ''}${h}小时${m}分钟`;
    return late ? `已逾期${span}` : `剩余${span}`;
  },
  order: '订单',
  orderRef: (ref) => `订单 ${ref}`,
  sku: '商品（SKU）',
  quantity: '数量',
  shipTo: (country) => `收货国家：${country}`,
  problem: '问题',
  evidence: '证据',
  noEvidence: '暂无证据。',
  messages: '消息',
  noMessages: '暂无消息。',
  messageLabel: '给商家留言',
  send: '发送',
  actions: '您现在可以做的操作',
  noActions: '目前没有需要您处理的事项。',
  sent: '已发送。',
  from: { merchant: '商家', supplier: '您', ops: '客服', buyer: '买家', system: '系统' },
  states: (state, status) => (status === 'closed' ? `已结案（${state}）` : `处理中：${state}`),
  caseTypes: {
    late_shipment: '发货延迟',
    damaged_item: '商品损坏',
    wrong_item: '发错商品',
    missing_item: '商品缺件',
    out_of_stock: '缺货',
    address_error: '地址错误',
    customs_delay: '清关延误',
    buyer_cancellation: '买家取消',
    unresponsive_supplier: '供应商未回复',
    oversize: '包裹超尺寸',
  },
  events: {
    ACKNOWLEDGED: '确认收到，正在处理',
    SHIPPED: '已发货',
    SUPPLIER_REPLIED: '回复',
    VERIFICATION_CONFIRMED: '确认问题属实',
    VERIFICATION_REJECTED: '拒绝索赔',
    REFUNDED: '已退款',
    RESHIPPED: '已补发',
    INTERCEPTED: '包裹已拦截',
    INTERCEPTION_FAILED: '拦截失败',
    CLEARED: '已清关',
    RETURNED_TO_SENDER: '已退回发件人',
    ADDRESS_CORRECTED: '地址已更正',
  },
  deadlines: {
    supplier_response: '回复商家',
    verification_due: '确认或拒绝索赔',
    refund_due: '退款',
    resolution_due: '解决本案',
    customs_due: '完成清关',
  },
  fields: {
    trackingNumber: '运单号',
    carrier: '承运商',
    reason: '原因',
    amount: '金额',
    currency: '币种（如 USD）',
    text: '内容',
  },
  optional: '选填',
  failed: (message) => `发送失败：${message}`,
};

const WORDS: Record<string, Words> = { en, zh };

/** The words of a language the page has, English otherwise. */
export function wordsFor(language: string): Words {
  return WORDS[language] ?? en;
}
