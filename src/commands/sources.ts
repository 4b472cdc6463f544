import { asc } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { sources } from '../db/schema.js';
import type { AppCommand } from '../cli/spec.js';

const STATE_RU: Record<string, string> = { ok: 'работает', backoff: 'пауза', broken: 'сломан', disabled: 'выключен' };

/** `otklik sources [--json]`: sources with status, last poll, posts seen, last error; times in the installation's zone. */
export const sourcesCommand: AppCommand = async (deps, input) => {
  const tz = deps.installation.timezone;
  const when = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: tz }).toFormat('dd.MM.yyyy HH:mm') : '—');
  const rows = await deps.db.select().from(sources).orderBy(asc(sources.id));
  if (!input.opts.json && rows.length) deps.out(`время — ${tz}`);
  for (const s of rows) {
    if (input.opts.json) {
      const { options: _o, ...rest } = s;
      deps.out(JSON.stringify(rest));
      continue;
    }
    const state = !s.enabled ? 'disabled' : s.status;
    const fields = [`#${s.id}`, `${s.channel}:${s.kind}`, s.name ?? s.reference, STATE_RU[state] ?? state, `опрос ${when(s.lastPollAt)}`, `публикаций ${s.postsSeen}`];
    deps.out([...fields, s.lastError ? `ошибка: ${s.lastError}` : ''].filter(Boolean).join('  '));
  }
  if (!rows.length) deps.out('источников нет: добавьте их в раздел sources: конфигурации установки (OTKLIK_CONFIG) или выполните otklik init');
  return 0;
};
