/** A broken setting (environment, .env or installation config): one line naming the key, exit 78. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}
