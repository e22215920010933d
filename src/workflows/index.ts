/**
 * The pure workflow layer of Redress: one XState machine per case type, and the functions the case
 * service calls. No Nest, no TypeORM, no clock, no I/O: effects come back as data.
 */
export * from './workflow.types';
export {
  ALL_EVENTS,
  isKnownEvent,
  isOnBehalfOfSupplier,
  isSupplierEvent,
  maySend,
  ON_BEHALF_EVENTS,
  ON_BEHALF_PAYLOAD_FIELDS,
  optionalPayloadFields,
  eventPayloadSchema,
  payloadFieldsText,
  requiredPayloadFields,
  textProblem,
  rolesFor,
  validateEventPayload,
} from './workflow.events';
export type { FieldSchema, WorkflowEventType } from './workflow.events';
export { phaseOf, validateOrderForType } from './workflow.orders';
export {
  allowedEvents,
  applyEvent,
  openCase,
  readWorkflowContext,
  stateOf,
  waitingOnOf,
} from './workflow.engine';
export { isWorkflowVersion, machineId, workflowVersion } from './workflow.registry';
export { describeWorkflow, listWorkflows } from './workflow.describe';
export type { WorkflowDescription, WorkflowSummary } from './workflow.describe';
export { verifyWorkflows } from './workflow.graph';
export { toMermaid } from './workflow.mermaid';
export type { WorkflowContext } from './fragments/machine-setup';
