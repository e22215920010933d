import { Injectable } from '@nestjs/common';
import {
  CASE_TYPES,
  describeWorkflow,
  listWorkflows,
  verifyWorkflows,
  type CaseType,
  type WorkflowDescription,
} from '../workflows';

/**
 * The case types' machines as the app serves them. Constructing it checks every machine (every
 * state reachable, every final state sets an outcome): a machine that fails stops the boot, in
 * whichever module first needs the catalog, before any route answers.
 */
@Injectable()
export class WorkflowCatalog {
  constructor() {
    verifyWorkflows();
  }

  list(): WorkflowDescription[] {
    return listWorkflows();
  }

  /** One case type's description, or undefined for a type that does not exist. */
  describe(type: string): WorkflowDescription | undefined {
    return (CASE_TYPES as readonly string[]).includes(type)
      ? describeWorkflow(type as CaseType)
      : undefined;
  }
}
