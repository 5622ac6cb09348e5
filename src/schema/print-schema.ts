/**
 * The GraphQL schema as SDL, sorted, as committed in schema.gql. `npm run schema` rewrites the
 * file; test/e2e/schema.test.ts fails when the code and the file drift apart.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';

export function schemaSdl(app: INestApplicationContext): string {
  return `${printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema))}\n`;
}

async function writeSchemaFile(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({ EVENT_STORE: 'memory' })), {
    logger: false,
  });
  await app.init();
  // npm runs scripts from the package root, where schema.gql lives.
  writeFileSync('schema.gql', schemaSdl(app));
  await app.close();
  process.stdout.write('wrote schema.gql\n');
}

if (require.main === module) void writeSchemaFile();
