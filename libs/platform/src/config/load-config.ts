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
  if (errors.length > 0) throw new ConfigError(errors.map((error) => describe(error, defined[error.property])));
  return config;
}

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|KEY/;

/** Names the variable, says what is wrong and what was given, without printing secrets. */
function describe(error: ValidationError, raw: string | undefined): string {
  const reasons = Object.values(error.constraints ?? {})
    .map((m) => m.replace(new RegExp(`^${error.property} `), ''))
    .join(', ');
  let given = 'nothing';
  if (raw !== undefined) {
    given = SECRET_NAME.test(error.property)
      ? `a value of ${raw.length} characters`
      : JSON.stringify(raw.replace(/\/\/([^:/@]+):[^@/]*@/g, '//$1:***@'));
  }
  return `${error.property}: ${reasons} (got ${given})`;
}
