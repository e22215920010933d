import { Controller, Get, OnModuleInit, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../common/errors/api-error';
import { NoFields } from '../common/validation/validators';
import {
  CASE_TYPES,
  CaseType,
  describeWorkflow,
  listWorkflows,
  verifyWorkflows,
} from '../workflows';

/** The case types' machines, as data (and a Mermaid diagram) for anyone with a key. */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController implements OnModuleInit {
  /** Boot check: every state reachable, every final state sets an outcome. */
  onModuleInit(): void {
    verifyWorkflows();
  }

  @Get()
  @ApiOperation({ summary: 'Every case type: phase, version, states, events' })
  list(@Query() _query: NoFields) {
    return { items: listWorkflows() };
  }

  @Get(':type')
  @ApiOperation({ summary: 'One case type, with its Mermaid stateDiagram-v2' })
  get(@Param('type') type: string, @Query() _query: NoFields) {
    if (!(CASE_TYPES as readonly string[]).includes(type))
      throw ApiError.notFound(`Workflow ${type}`);
    return describeWorkflow(type as CaseType);
  }
}
