import pino, { type DestinationStream, type Logger } from 'pino';
import { SECRET_ENV_KEYS } from './config/env.js';

export type { Logger };

/**
 * Shapes a secret takes inside text we did not write (library errors, API echoes), redacted
 * even when the value is not in our environment: Telegram puts the bot token in the URL path,
 * VK and OK echo `access_token` / `session_key`, clients print `Authorization: Bearer …`, and a
 * Postgres URL carries its password.
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/((?:access_token|session_key|application_secret_key|api_key|client_secret)=)[^&\s"']+/gi, '$1[redacted]'],
  [/(\/bot)\d+:[A-Za-z0-9_-]+/g, '$1[redacted]'],
  [/\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]'],
  [/(Bearer\s+)[A-Za-z0-9._~+\/=-]+/gi, '$1[redacted]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:\/\s@]+:)[^@\s\/]+@/gi, '$1[redacted]@'],
];

/**
 * Replaces every known secret value (tokens from env) and every token-shaped piece of text
 * with `[redacted]`. Used by the logger and before anything that may carry a library's error
 * message is stored (`sources.last_error`, outbox and reply errors) or shown (CLI, admin notices).
 */
export function createRedactor(env: Readonly<Record<string, unknown>> = process.env): (s: string) => string {
  const secrets = SECRET_ENV_KEYS.map((k) => env[k]).filter((v): v is string => typeof v === 'string' && v.length >= 6);
  return (s: string) => {
    let out = s;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** The pattern part of the redactor alone, for code that has no environment at hand. */
export const redactSecretShapes = createRedactor({});

export interface LoggerOptions {
  level?: string;
  env?: NodeJS.ProcessEnv;
  /** Where lines go (tests pass an in-memory stream). Default: stderr. */
  destination?: DestinationStream;
}

/** JSON logger that redacts tokens from every line. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const redact = createRedactor(opts.env);
  const dest = opts.destination ?? pino.destination(2);
  const redacting: DestinationStream = { write: (line: string) => dest.write(redact(line)) };
  return pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      redact: { paths: ['token', '*.token', 'access_token', '*.access_token', 'authorization', '*.authorization'], censor: '[redacted]' },
    },
    redacting,
  );
}
