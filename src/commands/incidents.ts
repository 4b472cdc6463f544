import { asc, eq } from 'drizzle-orm';
import { incidents, posts } from '../db/schema.js';
import { STATUS_LABELS, type Status } from '../domain/status.js';
import type { AppCommand } from '../cli/spec.js';

/** `otklik incidents [--json] [--status S]`: one incident a line. */
export const incidentsCommand: AppCommand = async (deps, input) => {
  const values = input.opts as { json?: boolean; status?: Status };
  const rows = await deps.db
    .select({ incident: incidents, url: posts.url, text: posts.text })
    .from(incidents)
    .innerJoin(posts, eq(posts.id, incidents.firstPostId))
    .where(values.status ? eq(incidents.status, values.status) : undefined)
    .orderBy(asc(incidents.number));
  for (const { incident: i, url } of rows) {
    if (values.json) {
      deps.out(JSON.stringify({ ...i, url }));
    } else {
      const status = STATUS_LABELS[i.status as Status] ?? i.status;
      deps.out(`№${i.number}\t${status}\t${i.departmentCode ?? '—'}\t${i.topic ?? 'без темы'}\t${i.summary.slice(0, 80)}`);
    }
  }
  return 0;
};
