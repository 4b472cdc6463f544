import { sql, type SQL } from 'drizzle-orm';

/**
 * Every figure of every report, defined once. Each is a predicate over an incident
 * row `i` (already limited to the report's window by detection time) read at the
 * moment `asOf` (the period's end, or now for a period not yet over), so a report on
 * a past month says the same tomorrow as today. README «Report figures» explains each
 * in the same words.
 */
export interface Figure {
  /** JSON key. */
  key: FigureKey;
  /** Russian label (text, XLSX, bot). */
  label: string;
  where(asOf: Date): SQL;
}

export type FigureKey =
  | 'incidents'
  | 'answered'
  | 'answeredOnTime'
  | 'answeredLate'
  | 'interimOnly'
  | 'openPastDeadline'
  | 'open'
  | 'redirected'
  | 'repeats'
  | 'rejected'
  | 'duplicates';

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Counted incidents: not rejected as "not an incident" and not merged into another. */
export const COUNTED = sql.raw(`i.status not in ('rejected', 'duplicate')`);
/** The first public answer (interim or full) was given by `asOf`: counted once per incident. */
const answered = (a: Date) => sql`(${COUNTED} and i.first_response_at <= ${at(a)})`;
/** Not closed (redirected, rejected, closed without answer) by `asOf`. */
const notClosed = (a: Date) => sql`(i.closed_at is null or i.closed_at > ${at(a)})`;

export const FIGURES: Record<FigureKey, Figure> = {
  incidents: { key: 'incidents', label: 'Инцидентов', where: () => COUNTED },
  answered: { key: 'answered', label: 'Дан ответ (первый публичный, включая промежуточный)', where: answered },
  answeredOnTime: {
    key: 'answeredOnTime',
    label: 'Ответ в срок',
    where: (a) => sql`(${answered(a)} and (i.deadline_at is null or i.first_response_at <= i.deadline_at))`,
  },
  answeredLate: {
    key: 'answeredLate',
    label: 'Ответ с опозданием',
    where: (a) => sql`(${answered(a)} and i.first_response_at > i.deadline_at)`,
  },
  interimOnly: {
    key: 'interimOnly',
    label: 'Промежуточный ответ, полный ожидается',
    where: (a) => sql`(${answered(a)} and (i.answered_at is null or i.answered_at > ${at(a)}) and ${notClosed(a)})`,
  },
  openPastDeadline: {
    key: 'openPastDeadline',
    label: 'Без ответа, срок истёк',
    where: (a) => sql`(${COUNTED} and (i.first_response_at is null or i.first_response_at > ${at(a)}) and ${notClosed(a)} and i.deadline_at < ${at(a)})`,
  },
  open: {
    key: 'open',
    label: 'В работе (нет полного ответа)',
    where: (a) => sql`(${COUNTED} and (i.answered_at is null or i.answered_at > ${at(a)}) and ${notClosed(a)})`,
  },
  redirected: { key: 'redirected', label: 'Направлено по компетенции', where: () => sql.raw(`(i.status = 'redirected')`) },
  repeats: { key: 'repeats', label: 'Повторные', where: () => sql`(${COUNTED} and i.is_repeat)` },
  rejected: { key: 'rejected', label: 'Отклонено (не инцидент)', where: () => sql.raw(`(i.status = 'rejected')`) },
  duplicates: { key: 'duplicates', label: 'Объединено с другими инцидентами', where: () => sql.raw(`(i.status = 'duplicate')`) },
};
