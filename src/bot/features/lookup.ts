import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Telegraf } from 'telegraf';
import { incidents, posts } from '../../db/schema.js';
import { OPEN_STATUSES, STATUS_LABELS, type Status } from '../../domain/status.js';
import { loadCardModel } from '../card-model.js';
import { renderDepartmentCard } from '../cards/department.js';
import type { BotDeps } from '../deps.js';
import { excerpt, when } from '../format.js';
import { escapeHtml } from '../html.js';
import { enqueueMessage } from '../outbox.js';
import { authorize, findStaff, recordRefusal, type Staff } from '../roles.js';
import { HELP_BY_ROLE } from './access.js';

type Row = typeof incidents.$inferSelect;

// lower()/ILIKE fold Cyrillic only under a Russian-aware LC_CTYPE; a database created with
// the C locale would not find «Московской» for «московской». Fold it explicitly.
const CYRILLIC_UPPER = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
const CYRILLIC_LOWER = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя';

const HELP = [
  '<b>Команды</b>',
  '/my — мои открытые инциденты',
  '/incident &lt;номер&gt; — карточка инцидента',
  '/find &lt;текст&gt; — поиск по тексту публикаций',
  '/overdue — просроченные',
  '/stats [week|month|quarter|year|ДД.ММ.ГГГГ-ДД.ММ.ГГГГ] [xlsx] — цифры за период с графиком (руководитель, модератор, администратор)',
  '/invite &lt;роль&gt; [отдел] — приглашение (администратор)',
  '/users — сотрудники (администратор)',
].join('\n');

/** Read-only commands for any invited user: /help /my /incident /find /overdue. */
export function registerLookup(bot: Telegraf, deps: BotDeps): void {
  const say = (chatId: number, html: string) => enqueueMessage(deps.db, { chatId: String(chatId), html }, deps.clock.now()).then(deps.queued);
  const reader = (name: string, fn: (chatId: number, staff: Staff, args: string) => Promise<unknown>) =>
    bot.command(name, async (ctx) => {
      const staff = await findStaff(deps.db, ctx.from.id);
      const verdict = authorize(staff, 'read');
      if (!verdict.ok) {
        await recordRefusal(deps, { telegramId: ctx.from.id, staff }, { action: `/${name}`, reason: verdict.reason, at: deps.clock.now() });
        return say(ctx.chat.id, `Извините, ${escapeHtml(verdict.reason)}.`);
      }
      await fn(ctx.chat.id, staff!, ctx.message.text.split(/\s+/).slice(1).join(' ').trim());
    });
  const list = (rows: Row[]) => rows.map((r) => `№ ${r.number} · ${STATUS_LABELS[r.status as Status]} · до ${when(r.deadlineAt, deps.installation.timezone)} — ${excerpt(r.summary, 80)}`).join('\n');

  reader('help', (chatId, staff) => say(chatId, `${HELP}\n\nВаша роль: ${HELP_BY_ROLE[staff.role]}`));
  reader('my', async (chatId, staff) => {
    const mine = staff.role === 'department' && staff.departmentCode ? eq(incidents.departmentCode, staff.departmentCode) : staff.role === 'moderator' ? eq(incidents.status, 'new') : undefined;
    const rows = await deps.db.select().from(incidents).where(and(inArray(incidents.status, [...OPEN_STATUSES]), mine)).orderBy(asc(incidents.deadlineAt)).limit(30);
    return say(chatId, rows.length ? `<b>Открытые инциденты</b>\n${list(rows)}` : 'Открытых инцидентов нет.');
  });
  reader('incident', async (chatId, _staff, args) => {
    const [row] = await deps.db.select().from(incidents).where(eq(incidents.number, Number(args.replace(/\D/g, '')) || -1));
    const m = row ? await loadCardModel(deps.db, row.id) : null;
    return say(chatId, m ? renderDepartmentCard(m, deps.installation, deps.clock.now()).html : 'Инцидент не найден. Формат: /incident 42');
  });
  reader('find', async (chatId, _staff, args) => {
    if (args.length < 3) return say(chatId, 'Формат: /find &lt;слово или фраза, от 3 букв&gt;');
    const pattern = `%${args.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = await deps.db
      .selectDistinct({ i: incidents })
      .from(incidents)
      .innerJoin(posts, eq(posts.incidentId, incidents.id))
      .where(sql`translate(lower(${posts.text}), ${CYRILLIC_UPPER}, ${CYRILLIC_LOWER}) like ${pattern}`)
      .orderBy(desc(incidents.id))
      .limit(20);
    return say(chatId, rows.length ? `<b>Найдено</b>\n${list(rows.map((r) => r.i))}` : 'Ничего не найдено.');
  });
  reader('overdue', async (chatId) => {
    const rows = await deps.db
      .select()
      .from(incidents)
      .where(and(inArray(incidents.status, [...OPEN_STATUSES]), isNull(incidents.firstResponseAt), lt(incidents.deadlineAt, deps.clock.now())))
      .orderBy(asc(incidents.deadlineAt))
      .limit(50);
    return say(chatId, rows.length ? `<b>Просрочены</b>\n${list(rows)}` : 'Просроченных нет.');
  });
}
