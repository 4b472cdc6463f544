import { sql } from 'drizzle-orm';
import { openDb, type DbHandle } from '../../src/db/client.js';

/**
 * A fresh database for one test file: in-memory PGlite by default, or — when
 * TEST_DATABASE_URL is set (CI) — a new database on that Postgres server, so
 * test files running in parallel never share tables. Dropped on close.
 */
export async function openTestDb(): Promise<DbHandle & { reset(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return withReset(await openDb({ dataDir: 'memory://' }));
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = `otklik_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = await openDb({ url: u.toString() });
  return withReset({
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  });
}

function withReset(handle: DbHandle): DbHandle & { reset(): Promise<void> } {
  return {
    ...handle,
    async reset() {
      await handle.db.execute(sql`truncate sources, posts, departments, topics, incidents, incident_events, users, labels, replies, classifier_models, llm_cache, notices, outbox, cards, bot_callbacks, invites, answer_drafts, seen_chats, set_aside restart identity cascade`);
      await handle.db.execute(sql`alter sequence incident_number_seq restart with 1`);
    },
  };
}
