import { IsInt, Matches, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

/**
 * Types are annotated on purpose: implicit conversion reads `design:type`, which is `Object`
 * for a property whose type is only inferred from its initializer.
 */
class ExampleConfig extends ServiceConfig {
  override PORT: number = 3009;
  override METRICS_PORT: number = 9109;

  /** Events per consumer chunk. */
  @IsInt()
  @Min(1)
  EXAMPLE_CHUNK_SIZE: number = 500;

  @Matches(/^https:\/\/.+/, { message: 'EXAMPLE_WEBHOOK_URL must be an https:// URL' })
  EXAMPLE_WEBHOOK_URL: string = 'https://hooks.valley.localhost/in';
}

/** A config class whose PORT has no default, as in ServiceConfig itself. */
class PortRequiredConfig extends ServiceConfig {
  override METRICS_PORT: number = 9109;
}

const fullEnv = {
  PORT: '8080',
  DATABASE_URL: 'postgres://valley_directory:s3cret@db.internal:5432/valley',
  KAFKA_BROKERS: 'kafka-1.internal:9092, kafka-2.internal:9092,kafka-3.internal:9093',
  KAFKA_TOPIC_PREFIX: 'staging.',
  KAFKA_PARTITIONS: '12',
  LOG_LEVEL: 'debug',
  AUTH_JWT_SECRET: 'a-long-enough-signing-secret',
  EXAMPLE_CHUNK_SIZE: '250',
  EXAMPLE_WEBHOOK_URL: 'https://hooks.example.lt/valley',
  PATH: '/usr/bin:/bin',
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig', () => {
  it('loads a full environment, converting numbers and the broker list', () => {
    const config = loadConfig(ExampleConfig, fullEnv);

    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config.PORT).toBe(8080);
    expect(config.KAFKA_PARTITIONS).toBe(12);
    expect(config.EXAMPLE_CHUNK_SIZE).toBe(250);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1.internal:9092', 'kafka-2.internal:9092', 'kafka-3.internal:9093']);
    expect(config.DATABASE_URL).toBe(fullEnv.DATABASE_URL);
    expect(config.KAFKA_TOPIC_PREFIX).toBe('staging.');
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.AUTH_JWT_SECRET).toBe(fullEnv.AUTH_JWT_SECRET);
    expect(config.EXAMPLE_WEBHOOK_URL).toBe('https://hooks.example.lt/valley');
  });

  it('applies the defaults for what is not set', () => {
    const config = loadConfig(ExampleConfig, {
      DATABASE_URL: 'postgresql://valley_reporting@localhost/valley',
      AUTH_JWT_SECRET: 'dev-only-secret-0123456789',
    });

    expect(config.PORT).toBe(3009);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.KAFKA_TOPIC_PREFIX).toBe('');
    expect(config.KAFKA_PARTITIONS).toBe(6);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.EXAMPLE_CHUNK_SIZE).toBe(500);
    expect(config.EXAMPLE_WEBHOOK_URL).toBe('https://hooks.valley.localhost/in');
  });

  it('reports a missing DATABASE_URL, a missing AUTH_JWT_SECRET and a malformed PORT in one ConfigError', () => {
    const { DATABASE_URL: _db, AUTH_JWT_SECRET: _secret, ...env } = fullEnv;

    const error = configError(() => loadConfig(ExampleConfig, { ...env, PORT: 'eighty' }));

    expect(error.name).toBe('ConfigError');
    expect(error.problems).toHaveLength(3);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: .*integer/),
        expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL \(got nothing\)$/),
        expect.stringMatching(/^AUTH_JWT_SECRET: .*\(got nothing\)$/),
      ]),
    );
    for (const name of ['PORT', 'DATABASE_URL', 'AUTH_JWT_SECRET']) expect(error.message).toContain(`  - ${name}: `);
    expect(error.message).toMatch(/^Invalid configuration:\n/);
  });

  it('reports a PORT out of range and a required PORT that is missing', () => {
    expect(configError(() => loadConfig(ExampleConfig, { ...fullEnv, PORT: '70000' })).problems).toEqual([
      'PORT: must not be greater than 65535 (got "70000")',
    ]);
    const missing = configError(() => loadConfig(PortRequiredConfig, { ...fullEnv, PORT: undefined }));
    expect(missing.problems).toEqual([expect.stringMatching(/^PORT: .*\(got nothing\)$/)]);
  });

  it('takes replication from the environment, and refuses more in-sync replicas than replicas', () => {
    const config = loadConfig(ExampleConfig, {
      ...fullEnv,
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect([config.KAFKA_REPLICATION_FACTOR, config.KAFKA_MIN_INSYNC_REPLICAS]).toEqual([3, 2]);
    expect(loadConfig(ExampleConfig, fullEnv)).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
    });
    expect(
      configError(() =>
        loadConfig(ExampleConfig, { ...fullEnv, KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '2' }),
      ).problems,
    ).toEqual(['KAFKA_MIN_INSYNC_REPLICAS: must not be greater than KAFKA_REPLICATION_FACTOR (got "2")']);
  });

  it('treats empty strings as missing: defaults apply, required variables are reported', () => {
    const error = configError(() =>
      loadConfig(ExampleConfig, { ...fullEnv, DATABASE_URL: '', AUTH_JWT_SECRET: '', KAFKA_BROKERS: '' }),
    );
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['AUTH_JWT_SECRET', 'DATABASE_URL']);
    expect(error.problems.every((p) => p.endsWith('(got nothing)'))).toBe(true);

    const config = loadConfig(ExampleConfig, {
      ...fullEnv,
      LOG_LEVEL: '',
      KAFKA_PARTITIONS: '',
      PORT: '',
      KAFKA_BROKERS: '',
    });
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.KAFKA_PARTITIONS).toBe(6);
    expect(config.PORT).toBe(3009);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it('rejects broker entries that are not host:port and a too short secret', () => {
    const error = configError(() =>
      loadConfig(ExampleConfig, { ...fullEnv, KAFKA_BROKERS: 'kafka-1:9092,kafka-2', AUTH_JWT_SECRET: 'short' }),
    );
    expect(error.problems).toHaveLength(2);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^KAFKA_BROKERS: entries must be host:port/),
        expect.stringMatching(/^AUTH_JWT_SECRET: must be at least 16 characters/),
      ]),
    );
  });

  it("validates a service's own variables too", () => {
    const error = configError(() =>
      loadConfig(ExampleConfig, { ...fullEnv, EXAMPLE_CHUNK_SIZE: '0', EXAMPLE_WEBHOOK_URL: 'http://plain' }),
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'EXAMPLE_CHUNK_SIZE: must not be less than 1 (got "0")',
        'EXAMPLE_WEBHOOK_URL: must be an https:// URL (got "http://plain")',
      ]),
    );
    expect(error.problems).toHaveLength(2);
  });

  it('never prints a secret, and masks the password in a URL', () => {
    const error = configError(() =>
      loadConfig(ExampleConfig, {
        ...fullEnv,
        AUTH_JWT_SECRET: 'hunter2',
        DATABASE_URL: 'mysql://valley:s3cret-pw@db:3306/valley',
      }),
    );
    const text = error.message;
    expect(text).toContain('AUTH_JWT_SECRET: must be at least 16 characters (got a value of 7 characters)');
    expect(text).toContain('DATABASE_URL: must be a postgres:// URL (got "mysql://valley:***@db:3306/valley")');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret-pw');
  });

  it('reads process.env by default', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, fullEnv, { PORT: '4321' });
      expect(loadConfig(ExampleConfig).PORT).toBe(4321);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
