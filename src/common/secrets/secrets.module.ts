import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecretBox } from './secret-box';
import { resolveSecretKey } from './secret-key';

/** The {@link SecretBox} under the server's key, for every module that stores a secret. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox(resolveSecretKey(config)),
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
