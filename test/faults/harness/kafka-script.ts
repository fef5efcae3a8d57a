import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/infra/kafka';

const KAFKA_SCRIPT = join(REPO_ROOT, 'deploy', 'local', 'kafka', 'kafka.sh');

/**
 * Runs `kafka.sh <args>` with `env` on top of this process's environment, asynchronously (load
 * keeps flowing while a broker stops or starts); rejects with the end of its output if it fails.
 */
export function runKafkaScript(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [KAFKA_SCRIPT, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`kafka.sh ${args.join(' ')} exited with ${code}:\n${output.slice(-3_000)}`)),
    );
  });
}
