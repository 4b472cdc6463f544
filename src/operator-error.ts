/**
 * Something the operator must resolve outside otklik (the database is busy or
 * unreachable, a directory cannot be written): one Russian line, exit 1.
 */
export class OperatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OperatorError';
  }
}
