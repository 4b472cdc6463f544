import { sql } from 'drizzle-orm';
import type { Telegram } from 'telegraf';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';

export const DEGRADED_MESSAGE = '⚠️ Система временно недоступна: нет связи с базой данных. Команда не потеряна — она будет выполнена, когда связь восстановится.';
export const DEGRADED_ALERT = 'Система временно недоступна (нет связи с базой данных). Нажатие не потеряно: оно будет выполнено, когда связь восстановится.';

interface PeekedUpdate {
  update_id: number;
  message?: { message_id: number; chat: { id: number; type: string }; text?: string };
  callback_query?: { id: string };
}

/** True when the database answers `select 1` within `ms`. */
export async function databaseAnswers(db: Db, ms = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true as const), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * While the database is unreachable the staff bot can do nothing, but it must not be silent.
 * It peeks at the waiting updates — getUpdates without an offset confirms none, so all of them
 * are handled normally once the database is back (from the stored cursor) — and answers each
 * private message, command in a staff chat and button press once, straight through the Bot API
 * (the outbox lives in the database): the system is temporarily unavailable, the action is not
 * lost. Posts in monitored (citizens') chats get no answer.
 */
export function createDegradedMode(deps: { db: Db; telegram: Telegram; log: Logger; sleep: (ms: number, signal: AbortSignal) => Promise<void>; staffChats: ReadonlySet<string> }) {
  const answered = new Set<number>();

  async function answer(u: PeekedUpdate): Promise<void> {
    if (u.callback_query) {
      await deps.telegram.callApi('answerCallbackQuery', { callback_query_id: u.callback_query.id, text: DEGRADED_ALERT, show_alert: true } as never);
      return;
    }
    const m = u.message;
    // Staff write in private chats and in the workflow's chats; citizens' groups get no answer.
    if (!m || !(m.chat.type === 'private' || (m.text?.startsWith('/') && deps.staffChats.has(String(m.chat.id))))) return;
    await deps.telegram.callApi('sendMessage', { chat_id: m.chat.id, text: DEGRADED_MESSAGE, reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true } } as never);
  }

  async function round(signal: AbortSignal): Promise<void> {
    const updates = (await deps.telegram.callApi('getUpdates', { timeout: 1, limit: 100 } as never, { signal } as never)) as unknown as PeekedUpdate[];
    for (const u of updates) {
      if (answered.has(u.update_id)) continue;
      answered.add(u.update_id);
      await answer(u).catch((err: unknown) => deps.log.warn({ err, updateId: u.update_id }, 'staff bot: degraded answer not sent'));
    }
  }

  return {
    /**
     * Call after an intake round failed: returns at once when the database answers; otherwise
     * answers users until it does (or `signal` aborts).
     */
    async whileDatabaseDown(signal: AbortSignal): Promise<void> {
      if (await databaseAnswers(deps.db)) return;
      deps.log.error('database unreachable: the staff bot answers «система временно недоступна» until it is back');
      while (!signal.aborted && !(await databaseAnswers(deps.db))) {
        await round(signal).catch((err: unknown) => signal.aborted || deps.log.warn({ err }, 'staff bot: reading updates while degraded failed'));
        await deps.sleep(2_000, signal).catch(() => undefined);
      }
      // The peeked updates are read again from the stored cursor now; a later outage answers anew.
      answered.clear();
      if (!signal.aborted) deps.log.info('database is back: the staff bot works normally');
    },
  };
}
