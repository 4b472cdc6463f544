import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { WorkCalendar } from '../sla/calendar.js';
import { rows } from './sql.js';

/**
 * Working time in SQL without a loop per incident: a table of local days with the
 * working minutes before each day (`cum`) and the day's working bounds (`s`, `e`;
 * equal on a day off). Working minutes up to a moment t on day d are
 * `cum + clamp(t - s, 0, e - s)`, so the working time between two moments is one
 * subtraction of two lookups — a hash join on the day, whatever the period's size.
 */
export function workDaysTable(calendar: WorkCalendar, from: Date, to: Date): SQL {
  const zone = calendar.timezone;
  const days: Array<{ day: string; s: string; e: string; cum: number }> = [];
  let cum = 0;
  let d = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  const end = DateTime.fromJSDate(to, { zone }).startOf('day').plus({ days: 1 });
  while (d <= end) {
    const w = calendar.workingHoursOf(d.plus({ hours: 12 }).toJSDate());
    const s = w ? w.start.toISOString() : d.toUTC().toISO()!;
    const e = w ? w.end.toISOString() : s;
    days.push({ day: d.toISODate()!, s, e, cum });
    if (w) cum += (w.end.getTime() - w.start.getTime()) / 60_000;
    d = d.plus({ days: 1 });
  }
  return sql`(select * from jsonb_to_recordset(${JSON.stringify(days)}::jsonb) as wd(day date, s timestamptz, e timestamptz, cum float8))`;
}

/** Working minutes up to moment `t` (a SQL expression), given the work-day row alias `wd` joined on t's local day. */
export function workMinutesAt(t: SQL, wd: string): SQL {
  const w = sql.raw(wd);
  // float8, not numeric (what extract() returns): numeric arithmetic and sorts cost several times more.
  return sql`(${w}.cum + greatest(0, least(extract(epoch from ${t} - ${w}.s)::float8, extract(epoch from ${w}.e - ${w}.s)::float8)) / 60)`;
}

/** `(t at time zone '<zone>')::date`: the local day of a moment. */
export function localDay(t: SQL, zone: string): SQL {
  return sql`(${t} at time zone ${zone})::date`;
}

/**
 * Caches on each answered incident detected in [from, to) the working minutes from
 * detection to its first public answer (`first_response_work_min`), where not cached
 * yet: one set-based UPDATE over the incidents the partial index `incidents_work_min_missing`
 * lists, so a report pays for the calendar lookups once per incident, not once per report.
 * Idempotent and safe with several instances (a concurrent run finds the rows filled).
 * Returns how many incidents it filled.
 */
export async function fillWorkMinutes(db: Db, calendar: WorkCalendar, from: Date, to: Date): Promise<number> {
  const missing = sql`i.first_response_at is not null and i.first_response_work_min is null and i.detected_at >= ${from.toISOString()}::timestamptz and i.detected_at < ${to.toISOString()}::timestamptz`;
  const [span] = await rows<{ a: string | null; b: string | null; n: number }>(
    db,
    sql`select min(least(i.detected_at, i.first_response_at)) as a, max(greatest(i.detected_at, i.first_response_at)) as b, count(*)::int as n from incidents i where ${missing}`,
  );
  if (!span?.a || !span.b || !Number(span.n)) return 0;
  const zone = calendar.timezone;
  const work = sql`${workMinutesAt(sql.raw('i.first_response_at'), 'wb')} - ${workMinutesAt(sql.raw('i.detected_at'), 'wa')}`;
  await db.execute(
    sql`with wd as ${workDaysTable(calendar, new Date(span.a), new Date(span.b))}
        update incidents i set first_response_work_min = ${work}
        from wd wa, wd wb
        where ${missing} and wa.day = ${localDay(sql.raw('i.detected_at'), zone)} and wb.day = ${localDay(sql.raw('i.first_response_at'), zone)}`,
  );
  return Number(span.n);
}
