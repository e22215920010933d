import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { NoFields } from '../common/validation/validators';
import { WorkflowCatalog } from './workflow-catalog';
import { ApiAnswer } from '../common/openapi/api-answers';

/** The case types' machines, as data (and a Mermaid diagram) for anyone with a key. */
@ApiTags('workflows')
@ApiBearerAuth()
@Roles('ops', 'merchant', 'supplier')
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(private readonly catalog: WorkflowCatalog) {}

  @Get()
  @ApiOperation({
    description:
      "What each case type accepts: its states (initial and final), the events and who may send each, every payload's fields, the outcomes and the timers.",
    summary: 'Every case type: phase, version, states, events',
  })
  @ApiAnswer(200, 'WorkflowList')
  list(@Query() _query: NoFields) {
    return { items: this.catalog.list() };
  }

  @Get(':type')
  @ApiOperation({
    description:
      'The same as in the list, plus `mermaid`, the state diagram in Mermaid syntax. Unknown type: 404.',
    summary: 'One case type, with its Mermaid stateDiagram-v2',
  })
  @ApiAnswer(200, 'Workflow')
  get(@Param('type') type: string, @Query() _query: NoFields) {
    const described = this.catalog.describe(type);
    if (!described) throw ApiError.notFound(`Workflow ${type}`);
    return described;
  }
}
