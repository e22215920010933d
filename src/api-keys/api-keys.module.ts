import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';

/** `DELETE /v1/api-keys/:id`; the keys themselves are common/auth's (listing: MerchantsModule). */
@Module({ controllers: [ApiKeysController] })
export class ApiKeysModule {}
