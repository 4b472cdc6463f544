import { sql } from 'drizzle-orm';
import type { Status } from '../domain/status.js';

/**
 * Outcome codes of an incident (the seeds' «Результаты рассмотрения»), one place for
 * the codes, their Russian names and the rule for an incident without a recorded one.
 */
export const OUTCOMES = {
  explained: 'разъяснено',
  supported: 'поддержано, меры приняты',
  not_supported: 'не поддержано',
  redirected: 'направлено по компетенции',
  pending: 'на рассмотрении',
} as const;
export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_CODES = Object.keys(OUTCOMES) as Outcome[];

export function isOutcome(x: unknown): x is Outcome {
  return typeof x === 'string' && x in OUTCOMES;
}

/**
 * The outcome to record when an incident closes (the workflow passes it to
 * `transition(..., { outcome })`): the staff's choice when given, else what the
 * closing status implies — redirected → «направлено по компетенции», an answer →
 * «разъяснено». Returns null for statuses that do not close an incident with an outcome.
 */
export function outcomeOnClose(to: Status, chosen?: Outcome | null): Outcome | null {
  if (chosen) return chosen;
  if (to === 'redirected') return 'redirected';
  if (to === 'answered' || to === 'closed') return 'explained';
  return null;
}

/** Outcome of an incident row `i` in reports: recorded, else implied by its status (open → on review). */
export const OUTCOME_SQL = sql.raw(
  `coalesce(i.outcome, case when i.status = 'redirected' then 'redirected' when i.status in ('answered', 'closed') then 'explained' else 'pending' end)`,
);

/** Russian name of an outcome code (unknown codes, e.g. imported, shown as given). */
export function outcomeLabel(code: string): string {
  return isOutcome(code) ? OUTCOMES[code] : code;
}
