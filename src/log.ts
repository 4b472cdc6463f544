import pino, { type DestinationStream, type Logger } from 'pino';
import { SECRET_ENV_KEYS } from './config/env.js';

export type { Logger };

/**
 * Replaces every known secret value (tokens from env) in a string with `[redacted]`.
 * Used by the logger and by anything that prints errors which may embed a URL with a token
 * (Telegram puts the bot token in the path; VK echoes access_token in request_params).
 */
export function createRedactor(env: NodeJS.ProcessEnv = process.env): (s: string) => string {
  const secrets = SECRET_ENV_KEYS.map((k) => env[k]).filter((v): v is string => !!v && v.length >= 6);
  const patterns = [/access_token=[^&\s"']+/g, /\/bot\d+:[A-Za-z0-9_-]+/g];
  return (s: string) => {
    let out = s;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    for (const p of patterns) out = out.replace(p, (m) => m.replace(/(=|\/bot)[^&\s"']+$/, '$1[redacted]'));
    return out;
  };
}

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
