import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyService } from '../common/auth/api-key.service';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { ApiAnswer } from '../common/openapi/api-answers';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Delete(':id')
  @Roles('ops', 'merchant')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key (ops; a merchant its own keys)',
    description:
      'Every instance refuses the key (401) within a second. Another merchant’s key answers 404.',
  })
  @ApiNoContentResponse()
  @ApiAnswer(204, null)
  async revoke(
    @Param('id', new UuidParamPipe('API key')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.keys.revoke(id, principal);
  }
}
