import { asc, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxNotifier } from '../../src/bot/notifier.js';
import { ManualClock } from '../../src/clock.js';
import { incidents, outbox } from '../../src/db/schema.js';
import { runDeadlineAlerts, runMorningDigest, type DeadlineJobDeps } from '../../src/jobs/deadline-alerts.js';
import type { App } from '../../src/app/app.js';
import { createTestApp, testInstallation } from '../helpers/app.js';
import { openTestDb } from '../helpers/db.js';

const MSK = (s: string) => new Date(`${s}+03:00`);
let db: Awaited<ReturnType<typeof openTestDb>>;
let app: App & { clock: ManualClock };

const installation = () => {
  const base = testInstallation();
  return { ...base, chats: { moderators: '-501', managers: '-502' }, departments: base.departments.map((d) => (d.code === 'roads' ? { ...d, chat: '-503' } : d)) };
};

beforeAll(async () => {
  db = await openTestDb();
  app = await createTestApp(db, { clock: new ManualClock(MSK('2025-10-31T08:00:00')), installation: installation() });
});
afterAll(() => db.close());

async function incident(detected: Date, slaHours: number, extra: Partial<typeof incidents.$inferInsert> = {}) {
  const [row] = await app.db
    .insert(incidents)
    .values({ status: 'assigned', kind: 'complaint', channel: 'vk', firstPostId: 1, summary: 'Яма на дороге (тест сроков)', departmentCode: 'roads', detectedAt: detected, deadlineAt: app.calendar.addWorkingHours(detected, slaHours), updatedAt: detected, ...extra })
    .returning();
  return row!;
}

/** One process "instance": the jobs built on their own notifier, as after a restart. */
function instance(): DeadlineJobDeps {
  return { db: app.db, installation: app.installation, calendar: app.calendar, clock: app.clock, notifier: createOutboxNotifier({ db: app.db, installation: app.installation, clock: app.clock, log: app.log }) };
}

describe('deadline reminders, escalations and the morning digest', () => {
  it('fire exactly once each across a moved working Saturday, a weekend, public holidays and a restart with two instances', async () => {
    // Friday 31 Oct 2025, 15:00; 8 working hours: 3 on Friday + 8 on the (shortened) working Saturday 1 Nov → Sat 14:00.
    const a = await incident(MSK('2025-10-31T15:00:00'), 8);
    expect(a.deadlineAt).toEqual(MSK('2025-11-01T14:00:00'));
    // Saturday 1 Nov 16:00: 1 hour on Saturday, then Sun 2 – Tue 4 Nov off (weekend, holidays) → Wed 5 Nov 16:00.
    app.clock.set(MSK('2025-11-01T16:00:00'));
    const b = await incident(MSK('2025-11-01T16:00:00'), 8);
    expect(b.deadlineAt).toEqual(MSK('2025-11-05T16:00:00'));
    // An interim answer given on Friday: the full answer is due 7 days later.
    const c = await incident(MSK('2025-10-31T15:00:00'), 8, { status: 'interim', firstResponseAt: MSK('2025-10-31T16:00:00'), followupDeadlineAt: MSK('2025-11-03T16:00:00') });

    let first = instance();
    let second = instance();
    app.clock.set(MSK('2025-10-31T15:00:00'));
    const end = MSK('2025-11-05T18:00:00').getTime();
    while (app.clock.now().getTime() <= end) {
      const t = app.clock.now();
      if (t.getTime() === MSK('2025-11-03T00:00:00').getTime()) (first = instance()), (second = instance()); // restart
      await Promise.all([runDeadlineAlerts(first), runDeadlineAlerts(second)]);
      const local = new Intl.DateTimeFormat('ru', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' }).format(t);
      if (local === '08:30') await Promise.all([runMorningDigest(first), runMorningDigest(second), runMorningDigest(instance())]);
      app.clock.advance(30 * 60_000); // the deadlines cron's ticks (every 30 min here)
    }

    const rows = await app.db.select().from(outbox).where(like(outbox.key, '%:%')).orderBy(asc(outbox.id));
    const seen = rows.map((r) => `${r.key} → ${r.chatId} @ ${r.createdAt.toISOString()}`);
    expect(seen).toEqual([
      `digest:roads:2025-11-01 → -503 @ ${MSK('2025-11-01T08:30:00').toISOString()}`,
      `remind:first:${a.id}:${MSK('2025-11-01T14:00:00').toISOString()} → -503 @ ${MSK('2025-11-01T12:00:00').toISOString()}`,
      `escalate:first:${a.id}:${MSK('2025-11-01T14:00:00').toISOString()} → -502 @ ${MSK('2025-11-01T14:00:00').toISOString()}`,
      // 2 working hours before Mon 3 Nov 16:00 (a holiday) is Sat 1 Nov 15:00 (the shortened working Saturday ends at 17:00).
      `remind:followup:${c.id}:${MSK('2025-11-03T16:00:00').toISOString()} → -503 @ ${MSK('2025-11-01T15:00:00').toISOString()}`,
      `escalate:followup:${c.id}:${MSK('2025-11-03T16:00:00').toISOString()} → -502 @ ${MSK('2025-11-03T16:00:00').toISOString()}`,
      `digest:roads:2025-11-05 → -503 @ ${MSK('2025-11-05T08:30:00').toISOString()}`,
      `remind:first:${b.id}:${MSK('2025-11-05T16:00:00').toISOString()} → -503 @ ${MSK('2025-11-05T14:00:00').toISOString()}`,
      `escalate:first:${b.id}:${MSK('2025-11-05T16:00:00').toISOString()} → -502 @ ${MSK('2025-11-05T16:00:00').toISOString()}`,
    ]);
  });
});
