import 'reflect-metadata';
import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { type AppConfig, ConfigError, LOG_LEVELS, loadConfig } from './config/config';
import { GRAPHQL_LIMITS } from './graphql/abuse-limits';

function loggerFor(config: AppConfig): ConsoleLogger {
  const upTo = LOG_LEVELS.indexOf(config.logLevel);
  return new ConsoleLogger('Cunyi', {
    json: config.logFormat === 'json',
    logLevels: LOG_LEVELS.slice(0, upTo + 1) as LogLevel[],
  });
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests and appends finish, close the store. */
function closeOnSignals(app: INestApplication, config: AppConfig, logger: ConsoleLogger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await app.close();
    logger.log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cunyi: ${error.message}\n`);
    process.exit(1);
  }
  const logger = loggerFor(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
  });
  app.useBodyParser('json', { limit: GRAPHQL_LIMITS.bodyLimit });
  closeOnSignals(app, config, logger);
  await app.listen(config.port, config.host);
  logger.log(
    `GraphQL at http://localhost:${config.port}/graphql on the ${config.eventStore} event store`,
  );
}

void bootstrap();
