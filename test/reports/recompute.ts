import { incidents } from '../../src/db/schema.js';
import type { Db } from '../../src/db/client.js';
import type { WorkCalendar } from '../../src/sla/calendar.js';

type Row = typeof incidents.$inferSelect;

const mid = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The README's definitions of the report figures, written again in plain JS over
 * whole incident rows (no SQL), so a test can check the SQL figure for figure.
 */
export async function recomputeFigures(db: Db, from: Date, to: Date, asOf: Date, calendar: WorkCalendar) {
  const all = (await db.select().from(incidents)).filter((r) => r.detectedAt >= from && r.detectedAt < to);
  const counted = all.filter((r) => r.status !== 'rejected' && r.status !== 'duplicate');
  const by = (d: Date | null) => d !== null && d <= asOf;
  const notClosed = (r: Row) => !r.closedAt || r.closedAt > asOf;
  const answered = counted.filter((r) => by(r.firstResponseAt));
  const late = answered.filter((r) => r.deadlineAt && r.firstResponseAt! > r.deadlineAt);
  const cal = answered.map((r) => (r.firstResponseAt!.getTime() - r.detectedAt.getTime()) / 60_000);
  const work = answered.map((r) => calendar.workingMsBetween(r.detectedAt, r.firstResponseAt!) / 60_000);
  const openPast = counted.filter((r) => !by(r.firstResponseAt) && notClosed(r) && r.deadlineAt && r.deadlineAt < asOf);
  return {
    incidents: counted.length,
    answered: answered.length,
    answeredOnTime: answered.length - late.length,
    answeredLate: late.length,
    interimOnly: answered.filter((r) => !by(r.answeredAt) && notClosed(r)).length,
    openPastDeadline: openPast.length,
    overdue: late.length + openPast.length,
    open: counted.filter((r) => !by(r.answeredAt) && notClosed(r)).length,
    redirected: counted.filter((r) => r.status === 'redirected').length,
    repeats: counted.filter((r) => r.isRepeat).length,
    rejected: all.filter((r) => r.status === 'rejected').length,
    merged: counted.reduce((a, r) => a + r.postsCount - 1, 0) + all.filter((r) => r.status === 'duplicate').length,
    medianFirstAnswerMin: mid(cal),
    medianFirstAnswerWorkMin: mid(work),
    meanFirstAnswerMin: cal.length ? cal.reduce((a, b) => a + b, 0) / cal.length : null,
    overdueNumbers: [...late, ...openPast].map((r) => r.number).sort((a, b) => a - b),
  };
}
