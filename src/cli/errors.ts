import { ConfigError } from '../config/config-error.js';
import { OperatorError } from '../operator-error.js';

/** A wrong invocation (bad value, missing argument): one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export { OperatorError };

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

const SYSTEM_ERRORS: Record<string, (e: NodeJS.ErrnoException) => string> = {
  ENOENT: (e) => `файл не найден: ${e.path ?? e.message}`,
  EACCES: (e) => `нет доступа: ${e.path ?? e.message}`,
  EPERM: (e) => `нет доступа: ${e.path ?? e.message}`,
  EISDIR: (e) => `это папка, а нужен файл: ${e.path ?? e.message}`,
  ENOTDIR: (e) => `путь идёт через файл, а не папку: ${e.path ?? e.message}`,
  EROFS: (e) => `файловая система только для чтения: ${e.path ?? e.message}`,
  ECONNREFUSED: (e) => `соединение отклонено: ${e.message}`,
  // postgres.js: the server took the connection but never answered (DATABASE_URL).
  CONNECT_TIMEOUT: (e) => `база данных не отвечает (${e.message.replace(/^\w+ CONNECT_TIMEOUT\s*/, '') || 'DATABASE_URL'}): проверьте DATABASE_URL и сервер`,
};

function withKnownCode(e: unknown): unknown {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && SYSTEM_ERRORS[code]) return c;
  }
  return e;
}

/** Turns any error into one line and an exit code; never a stack trace. */
export function describeError(e: unknown): { line: string; code: number } {
  const firstLine = (s: string) => s.split('\n')[0]!.trim();
  if (e instanceof ConfigError) return { line: firstLine(e.message), code: EXIT.config };
  if (e instanceof UsageError) return { line: firstLine(e.message), code: EXIT.usage };
  if (e instanceof OperatorError) return { line: firstLine(e.message), code: EXIT.failed };
  // drizzle wraps driver errors ("Failed query: …"); the network cause is what the operator needs.
  const err = withKnownCode(e) as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && SYSTEM_ERRORS[err.code]) return { line: SYSTEM_ERRORS[err.code]!(err), code: EXIT.failed };
  if (err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) return { line: firstLine(err.message), code: EXIT.usage };
  const message = err instanceof Error ? firstLine(err.message) || err.name : String(e);
  return { line: message, code: EXIT.failed };
}
