import { STATUSES, STATUS_LABELS, type Status } from '../domain/status.js';
import { UsageError } from './errors.js';

const fold = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/[\s_-]+/g, ' ');

/** A status by its code (`in_work`) or its Russian name («В работе»), any case. */
export function parseStatus(value: string): Status {
  const wanted = fold(value);
  const found = STATUSES.find((s) => fold(s) === wanted || fold(STATUS_LABELS[s]) === wanted);
  if (found) return found;
  const known = STATUSES.map((s) => `${s} («${STATUS_LABELS[s]}»)`).join(', ');
  throw new UsageError(`неизвестный статус «${value}»; допустимые: ${known}`);
}

/** One of a fixed set of words (e.g. `--format text|json`). */
export function oneOf<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new UsageError(`«${value}» не подходит; допустимо: ${allowed.join(', ')}`);
  };
}

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function parseDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== value) throw new UsageError(`«${value}» — не дата; нужен вид ГГГГ-ММ-ДД, например 2026-11-16`);
  return value;
}

/** A whole number ≥ 1. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`«${value}» — нужно целое число больше нуля`);
  return n;
}
