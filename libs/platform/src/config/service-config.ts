import { Transform } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/**
 * Variables every Valley service reads. A service's own config class extends this one.
 * Development defaults are marked DEV ONLY; production sets every variable explicitly.
 */
export class ServiceConfig {
  /** HTTP port (0: any free port). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT!: number;

  /** This service's own login role on its own schema, e.g. postgres://valley_directory:…@host:5432/valley. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated bootstrap servers, e.g. 127.0.0.1:9092. */
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s: string) => s.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayMinSize(1, { message: 'KAFKA_BROKERS must list at least one host:port' })
  @Matches(/^[^\s:]+:\d+$/, { each: true, message: 'KAFKA_BROKERS entries must be host:port' })
  KAFKA_BROKERS: string[] = ['127.0.0.1:9092'];

  /** Prepended to topic and consumer group names; isolates environments that share a cluster. */
  @IsString()
  @Matches(/^[a-z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only a-z, 0-9, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX: string = '';

  /** Partitions for topics a service creates when they are missing. */
  @IsInt()
  @Min(1)
  KAFKA_PARTITIONS: number = 6;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** HS256 secret for coordinator tokens. No default: set it (npm start sets a DEV ONLY one). */
  @IsString()
  @IsNotEmpty()
  @MinLength(16, { message: 'AUTH_JWT_SECRET must be at least 16 characters' })
  AUTH_JWT_SECRET!: string;
}
