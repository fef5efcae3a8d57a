import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a service's configuration class from the environment, once, at start.
 * Every missing or malformed variable is named in one error, so an operator fixes them all at once.
 */
export function loadConfig<T extends object>(
  configClass: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(configClass, defined, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) throw new ConfigError(errors.map(describe));
  return config;
}

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {})
    .map((m) => m.replace(new RegExp(`^${error.property} `), ''))
    .join(', ');
  return `${error.property}: ${reasons} (got ${error.value === undefined ? 'nothing' : JSON.stringify(error.value)})`;
}
