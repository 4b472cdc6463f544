import { asc } from 'drizzle-orm';
import { sources } from '../db/schema.js';
import type { AppCommand } from '../cli/spec.js';

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) : '—');

/** `otklik sources [--json]`: sources with status, last poll, posts seen, last error. */
export const sourcesCommand: AppCommand = async (deps, input) => {
  const rows = await deps.db.select().from(sources).orderBy(asc(sources.id));
  for (const s of rows) {
    if (input.opts.json) {
      const { options: _o, ...rest } = s;
      deps.out(JSON.stringify(rest));
      continue;
    }
    const state = !s.enabled ? 'disabled' : s.status;
    deps.out(
      [`#${s.id}`, `${s.channel}:${s.kind}`, s.name ?? s.reference, state, `last poll ${when(s.lastPollAt)}`, `posts ${s.postsSeen}`, s.lastError ? `error: ${s.lastError}` : '']
        .filter(Boolean)
        .join('  '),
    );
  }
  if (!rows.length) deps.out('no sources: add them under `sources:` in the installation config');
  return 0;
};
