import { z } from 'zod';
import { ConfigError, describeIssue } from './installation.js';

const optionalUrl = z.url().optional();
const intFromEnv = (def: number) => z.coerce.number().int().positive().default(def);

/** Every environment variable otklik reads. Keep .env.example and README in step. */
export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Postgres URL; when unset, the embedded PGlite database in OTKLIK_DATA_DIR is used. */
  DATABASE_URL: z.string().optional(),
  OTKLIK_DATA_DIR: z.string().default('./data'),
  /** Installation YAML; defaults to the bundled example. */
  OTKLIK_CONFIG: z.string().default('config/example.yaml'),
  /** Name of this instance in source leases (several instances on one Postgres). */
  OTKLIK_INSTANCE: z.string().optional(),
  /** Port of /healthz and /metrics in `start` (0 = any free port); unset = no HTTP server. */
  OTKLIK_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address the HTTP server binds; 0.0.0.0 to be scraped from another host. */
  OTKLIK_HTTP_HOST: z.string().default('127.0.0.1'),
  /** Seconds `start` waits on SIGTERM for the poll, job and send under way before it closes anyway. */
  OTKLIK_SHUTDOWN_SEC: intFromEnv(20),

  VK_TOKEN: z.string().optional(),
  VK_GROUP_TOKEN: z.string().optional(),
  /** The administration's community id (positive), for replies from the community and its messages. */
  VK_GROUP_ID: z.coerce.number().int().positive().optional(),
  VK_API_BASE_URL: optionalUrl,
  VK_RPS: z.coerce.number().positive().optional(),
  VK_GROUP_RPS: z.coerce.number().positive().optional(),

  OK_APPLICATION_KEY: z.string().optional(),
  OK_APPLICATION_SECRET_KEY: z.string().optional(),
  OK_ACCESS_TOKEN: z.string().optional(),
  OK_API_BASE_URL: optionalUrl,

  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_CITIZEN_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: optionalUrl,
  /** getUpdates long-poll timeout of the staff bot's intake loop (`start`), seconds. */
  TELEGRAM_LONG_POLL_SEC: z.coerce.number().int().min(1).max(50).default(25),
  /** Webhook mode for the staff bot: the public HTTPS URL Telegram posts updates to (instead of long polling). */
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  /** Secret token Telegram sends with every webhook request (1-256 of A-Z a-z 0-9 _ -); required with the URL. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters: A-Z, a-z, 0-9, _ or -').optional(),
  /** Local port the webhook listens on (behind the HTTPS proxy). */
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  TME_BASE_URL: optionalUrl,

  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_CONCURRENCY: intFromEnv(2),
  OPENAI_DAILY_LIMIT: intFromEnv(2000),
  OPENAI_TIMEOUT_MS: intFromEnv(20000),
});

export type Env = z.infer<typeof envSchema>;

/**
 * Parses the environment once; a bad value fails with a one-line message naming the
 * variable (and the .env file when the value came from there).
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env, source?: { file?: string; fromFile: ReadonlySet<string> }): Env {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const key = String(result.error.issues[0]?.path[0] ?? '');
    const where = source?.file && source.fromFile.has(key) ? `${source.file}` : 'environment';
    throw new ConfigError(describeIssue(where, result.error), { cause: result.error });
  }
  return result.data;
}

/** Names of variables whose values must never reach a log line. */
export const SECRET_ENV_KEYS = [
  'VK_TOKEN',
  'VK_GROUP_TOKEN',
  'OK_APPLICATION_SECRET_KEY',
  'OK_ACCESS_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_CITIZEN_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'OPENAI_API_KEY',
  'DATABASE_URL',
] as const;
