import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src/bot/invites.js';
import { parseStatsPeriod } from '../../src/reports/stats-period.js';
import { openTestDb } from '../helpers/db.js';
import { GROUP_ID, startBotWorld, type BotWorld, type Person } from './world.js';

const MANAGER: Person = { id: 31, first_name: 'Руководитель', is_bot: false };
const HOUSING: Person = { id: 32, first_name: 'Жанна', is_bot: false };

let db: Awaited<ReturnType<typeof openTestDb>>;
let w: BotWorld;

beforeAll(async () => {
  db = await openTestDb();
  w = await startBotWorld(db);
  for (const [who, role, dept] of [[MANAGER, 'manager', null], [HOUSING, 'department', 'housing']] as const) {
    const inv = await createInvite(w.app.db, { role, departmentCode: dept, createdBy: 'test', now: w.clock.now() });
    await w.say(who, who.id, `/start ${inv.code}`);
  }
  w.vk.addPost(GROUP_ID, { text: 'На проспекте Дружбы яма на дороге уже неделю, машины объезжают по встречке', from_id: 501 });
  await w.app.poller.pollOnce({ force: true });
  await w.settle();
});
afterAll(async () => {
  await w?.close();
  await db?.close();
});

describe('/stats in the staff bot', () => {
  it('a manager gets the period\'s figures with the chart, and the XLSX on request', async () => {
    const before = w.tg.messages(MANAGER.id).length;
    await w.say(MANAGER, MANAGER.id, '/stats week xlsx');
    const got = w.tg.messages(MANAGER.id).slice(before);
    expect(got[0]!.text).toMatch(/^<b>Неделя 16\.11\.2026 – 22\.11\.2026<\/b> — Курск/);
    expect(got[0]!.text).toContain('Новых инцидентов: <b>1</b>');
    expect(got.filter((m) => m.photo)).toHaveLength(1);
    const doc = w.tg.uploads.find((u) => u.chatId === String(MANAGER.id) && u.method === 'sendDocument');
    expect(doc?.filename).toBe('otklik-2026-11-16.xlsx');
  });

  it('a department member is refused; a bad period gets the format', async () => {
    const before = w.tg.messages(HOUSING.id).length;
    await w.say(HOUSING, HOUSING.id, '/stats month');
    expect(w.tg.messages(HOUSING.id).slice(before).map((m) => m.text)).toEqual([expect.stringMatching(/^Извините, это действие недоступно вашей роли/)]);
    await w.say(MANAGER, MANAGER.id, '/stats вчера');
    expect(w.last(MANAGER.id).text).toMatch(/^Формат: \/stats week/);
  });

  it('periods: current week, month, quarter, year, or dates inclusive', () => {
    const now = new Date('2026-11-18T12:00:00+03:00');
    const iso = (p: ReturnType<typeof parseStatsPeriod>) => ('error' in p ? p.error : [p.from.toISOString(), p.to.toISOString()]);
    expect(iso(parseStatsPeriod('', now, 'Europe/Moscow'))).toEqual(['2026-11-15T21:00:00.000Z', '2026-11-22T21:00:00.000Z']);
    expect(iso(parseStatsPeriod('quarter', now, 'Europe/Moscow'))).toEqual(['2026-09-30T21:00:00.000Z', '2026-12-31T21:00:00.000Z']);
    expect(iso(parseStatsPeriod('01.11.2026-15.11.2026', now, 'Europe/Moscow'))).toEqual(['2026-10-31T21:00:00.000Z', '2026-11-15T21:00:00.000Z']);
    expect(iso(parseStatsPeriod('15.11.2026-01.11.2026', now, 'Europe/Moscow'))).toMatch(/^Формат/);
  });
});
