import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { schemaSdl } from '../../src/schema/print-schema';

it('the committed schema.gql is the schema the code serves (else: npm run schema)', async () => {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({ EVENT_STORE: 'memory' })), {
    logger: false,
  });
  await app.init();
  try {
    expect(schemaSdl(app)).toBe(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
  } finally {
    await app.close();
  }
});
