import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Scope } from './scope';
import { createTokenService } from './tokens';

export const TOKEN_SERVICE = Symbol('TOKEN_SERVICE');

@Global()
@Module({
  providers: [
    {
      provide: TOKEN_SERVICE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createTokenService(config),
    },
    Scope,
  ],
  exports: [TOKEN_SERVICE, Scope],
})
export class AuthModule {}
