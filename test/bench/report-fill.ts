import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { fillWorkMinutes } from '../../src/reports/work-time.js';
import type { WorkCalendar } from '../../src/sla/calendar.js';

/**
 * Fills an empty database with `n` incidents detected evenly between `from` and `to`
 * (one post each, an event each, 5% with a co-executor), in a few set-based statements.
 * Statuses, channels, topic groups, departments and answer times vary by row number, so
 * every report figure has something to count; only the last 30 days hold open incidents.
 * Then the reports' cache of working minutes to the first answer is filled, as the weekly
 * reports would have filled it week by week, and the table is put back in detection order
 * (CLUSTER), as a table that grew over the years is. Returns the milliseconds of the whole
 * fill and of the working-minutes cache alone.
 */
export async function fillIncidents(db: Db, n: number, from: Date, to: Date, calendar: WorkCalendar): Promise<{ fillMs: number; cacheMs: number; cached: number }> {
  const t0 = performance.now();
  const span = (to.getTime() - from.getTime()) / 1000;
  const f = sql`${from.toISOString()}::timestamptz`;
  // Incidents still open are the last month's: years-old ones are closed, as in a working installation.
  const recent = sql`${new Date(to.getTime() - 30 * 86_400_000).toISOString()}::timestamptz`;
  await db.execute(sql`insert into posts (channel, external_id, kind, text, published_at, fetched_at, decided_kind, processed_at)
    select (array['vk','ok','telegram'])[1 + g % 3], 'bench:' || g, 'post', 'Обращение ' || g, t, t, 'complaint', t
    from (select g, ${f} + make_interval(secs => (g::float8 / ${n}) * ${span}) as t from generate_series(1, ${n}) g) s`);
  await db.execute(sql`insert into incidents (number, status, kind, topic, topic_group, department_code, channel, first_post_id, posts_count, summary, is_repeat,
      detected_at, deadline_at, first_response_at, answered_at, closed_at, updated_at, territory)
    select g, st, 'complaint', 'Тема ' || (g % 40), (array['ЖКХ','Дороги','Благоустройство','Транспорт','Образование','Здравоохранение','Экология','Социальная сфера'])[1 + g % 8],
      (array['housing','roads','transport','culture','education','health','social','ecology','property','admin'])[1 + (g / 7) % 10],
      (array['vk','ok','telegram'])[1 + g % 3], g, 1 + case when g % 10 = 0 then g % 4 else 0 end, 'Обращение ' || g, g % 17 = 0,
      t, t + interval '24 hours', fr, case when st in ('answered', 'closed') then fr end, case when st in ('closed', 'rejected', 'redirected', 'duplicate') then coalesce(fr, t + interval '1 hour') end, t,
      'Район ' || (g % 25)
    from (
      select g, t,
        case when g % 20 = 0 then 'rejected' when g % 50 = 1 then 'duplicate' when g % 33 = 2 then 'redirected'
             when g % 40 = 3 and t > ${recent} then 'in_work' when g % 45 = 4 and t > ${recent} then 'interim'
             when g % 9 = 5 then 'answered' else 'closed' end as st,
        t + make_interval(mins => ((g::bigint * 7919) % 2880)::int) as fr
      from (select g, ${f} + make_interval(secs => (g::float8 / ${n}) * ${span}) as t from generate_series(1, ${n}) g) s
    ) x`);
  await db.execute(sql`update incidents set first_response_at = null where status in ('in_work', 'rejected', 'duplicate', 'redirected')`);
  await db.execute(sql`update posts p set incident_id = p.id`);
  await db.execute(sql`insert into incident_executors (incident_id, department) select id, 'roads' from incidents where id % 20 = 7 and department_code <> 'roads'`);
  await db.execute(sql`insert into incident_events (incident_id, at, actor, type, to_status) select id, detected_at, 'bench', 'import', status from incidents`);
  await db.execute(sql`select setval('incident_number_seq', ${n})`);
  const c0 = performance.now();
  const cached = await fillWorkMinutes(db, calendar, from, to);
  const cacheMs = performance.now() - c0;
  await db.execute(sql`cluster incidents using incidents_detected`);
  await db.execute(sql`vacuum analyze incidents`);
  await db.execute(sql`vacuum analyze posts`);
  await db.execute(sql`vacuum analyze incident_executors`);
  return { fillMs: performance.now() - t0, cacheMs, cached };
}
