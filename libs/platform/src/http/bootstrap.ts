import cluster from 'node:cluster';
import { DynamicModule, INestApplication } from '@nestjs/common';
import { ConfigError } from '../config/load-config';
import { startEventConsumers } from '../logging/event-consumers';
import { AppDescription, configureApp } from './configure-app';
import { createNestApp, HttpPlatform } from './http-platform';

export interface ServiceBootstrap {
  module: DynamicModule;
  port: number;
  /**
   * Processes serving the port (node:cluster), each a whole instance of the service: its own
   * consumer in the group, its own connections. 1 (default): this process alone.
   */
  workers?: number;
}

/**
 * Starts a service from its main.ts. A configuration error stops it with a message that
 * names each bad variable, and exit code 78 (EX_CONFIG). With several workers this process
 * only supervises them, and resolves to null.
 */
export async function bootstrapService(
  createModule: () => ServiceBootstrap,
  description: AppDescription,
  platform: HttpPlatform = 'express',
): Promise<INestApplication | null> {
  let built: ServiceBootstrap;
  try {
    built = createModule();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${description.title}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  if ((built.workers ?? 1) > 1 && cluster.isPrimary) {
    superviseWorkers(built.workers!, description.title);
    return null;
  }
  const app = await createNestApp(built.module, platform, { bufferLogs: true });
  configureApp(app, description);
  await app.init();
  await startEventConsumers(app);
  // Every interface, as in a container (Fastify alone would listen on localhost only).
  await (platform === 'fastify' ? app.listen(built.port, '0.0.0.0') : app.listen(built.port));
  return app;
}

/**
 * The primary of a service running in several processes: forks them, passes SIGTERM and SIGINT
 * on, and when one worker exits unasked, stops the others and exits with its code, so that the
 * orchestrator restarts the service as a whole (with its own backoff) rather than this process
 * restarting a crashing worker in a loop.
 */
function superviseWorkers(count: number, title: string): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`${title}: worker ${worker.process.pid} exited (${signal ?? code}); stopping the others\n`);
      process.exitCode = code || 1;
      stop('SIGTERM');
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  for (let i = 0; i < count; i++) cluster.fork();
}
