import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { IncidentAddress } from '../../db/schema.js';
import { STATUS_LABELS, type Status } from '../../domain/status.js';
import { CHANNEL_LABELS } from '../labels.js';
import { OUTCOME_SQL, outcomeLabel } from '../outcomes.js';
import { rows } from '../sql.js';
import type { Window } from '../aggregate.js';
import { IM_HEADERS, type ImField } from './columns.js';

export type ExportRow = Record<ImField, string>;

/** Incidents detected in the window in the incumbent system's layout (the columns `import --format im` reads). */
export async function exportIm(db: Db, w: Window, zone: string, deptName: (code: string) => string): Promise<ExportRow[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select i.number, i.external_number, i.detected_at, i.closed_at, i.first_response_at, i.topic_group, i.topic, i.department_code,
          i.address, i.channel, i.status, ${OUTCOME_SQL} as outcome_code, p.url, p.text,
          (select string_agg(e.department, ';' order by e.department) from incident_executors e where e.incident_id = i.id) as co
        from incidents i join posts p on p.id = i.first_post_id
        where i.detected_at >= ${w.from.toISOString()}::timestamptz and i.detected_at < ${w.to.toISOString()}::timestamptz and i.status <> 'duplicate'
        order by i.detected_at, i.number`,
  );
  const dt = (v: unknown) => (v ? DateTime.fromJSDate(new Date(v as string), { zone }).toFormat('dd.MM.yyyy HH:mm') : '');
  return found.map((r) => {
    const a = (r.address ?? {}) as IncidentAddress;
    const executors = [r.department_code as string | null, ...((r.co as string | null)?.split(';') ?? [])].filter((x): x is string => !!x).map(deptName);
    return {
      number: (r.external_number as string | null) ?? String(r.number),
      created: dt(r.detected_at),
      closed: dt(r.closed_at),
      firstAnswer: dt(r.first_response_at),
      group: (r.topic_group as string | null) ?? '',
      topic: (r.topic as string | null) ?? '',
      executors: executors.join('; '),
      region: a.region ?? '',
      municipality: a.municipality ?? '',
      settlement: a.settlement ?? '',
      street: a.street ?? '',
      house: a.house ?? '',
      url: (r.url as string | null) ?? '',
      source: CHANNEL_LABELS[r.channel as string] ?? (r.channel as string),
      text: r.text as string,
      status: STATUS_LABELS[r.status as Status] ?? (r.status as string),
      outcome: outcomeLabel(r.outcome_code as string),
    };
  });
}

/** The header row in export order. */
export const EXPORT_HEADERS = Object.values(IM_HEADERS);
