import { and, eq } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import type { App } from '../app/app.js';
import { syncNewIncidents } from '../bot/card-sync.js';
import { createInvite } from '../bot/invites.js';
import { sendSetAsideDigest } from '../bot/set-aside.js';
import type { StaffRuntime } from '../bot/runtime.js';
import { cards, incidents } from '../db/schema.js';
import type { DemoBotApi } from './bot-api.js';
import { behaviourOf, rand, type Behaviour } from './plans.js';

interface Person {
  id: number;
  is_bot: false;
  first_name: string;
  last_name: string;
}

interface Plan {
  incidentId: number;
  number: number;
  department: string;
  moderateAt: Date;
  answerAt: Date | null;
  behaviour: Behaviour;
  moderated: boolean;
  interimDone: boolean;
}

const MIN = 60_000;
const MODERATOR: Person = { id: 1001, is_bot: false, first_name: 'Мария', last_name: 'Модерова' };
const PRESS: Person = { id: 1003, is_bot: false, first_name: 'Павел', last_name: 'Пресс-службин' };

/**
 * The demo week's people, working through the real staff bot: they join with invites,
 * press the buttons of the cards the bot sent to their chats, and answer the bot's
 * questions by replying to it. Timing follows the same deterministic plan as ever
 * (moderated within the hour; answered on time, late, with an interim answer, or never).
 */
export async function createBotStaff(app: App, rt: StaffRuntime, api: DemoBotApi) {
  let seq = 0;
  const plans = new Map<number, Plan>();
  const members = new Map<string, Person>();

  /** Sends what the outbox holds (the demo's sender keeps no limits: the week is simulated). */
  async function drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const r = await rt.sender.drainOnce();
      if (r.nextAt === null || r.sent + r.failed + r.deferred === 0) break;
    }
  }
  async function deliver(update: Omit<Update, 'update_id'>): Promise<void> {
    await rt.bot.handleUpdate({ update_id: ++seq, ...update } as Update);
    await drain();
  }
  const at = () => Math.floor(app.clock.now().getTime() / 1000);

  async function join(who: Person, role: 'moderator' | 'department' | 'press', dept?: string): Promise<void> {
    const inv = await createInvite(app.db, { role, departmentCode: dept ?? null, createdBy: 'demo', now: app.clock.now() });
    const text = `/start ${inv.code}`;
    await deliver({ message: { message_id: ++seq, date: at(), chat: { id: who.id, type: 'private', first_name: who.first_name }, from: who, text, entities: [{ type: 'bot_command', offset: 0, length: 6 }] } } as never);
  }

  async function memberOf(dept: string): Promise<Person> {
    let who = members.get(dept);
    if (!who) {
      who = { id: 2000 + members.size, is_bot: false, first_name: 'Сотрудник', last_name: dept };
      members.set(dept, who);
      await join(who, 'department', dept);
    }
    return who;
  }

  async function press(who: Person, incidentId: number, kind: 'moderator' | 'department' | 'press', label: string): Promise<boolean> {
    const [card] = await app.db.select().from(cards).where(and(eq(cards.incidentId, incidentId), eq(cards.kind, kind)));
    const msg = card?.messageId ? api.message(card.chatId, card.messageId) : undefined;
    const button = msg?.markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label));
    if (!card || !button?.callback_data) return false;
    const chat = { id: Number(card.chatId), type: 'supergroup' as const, title: card.chatId };
    await deliver({ callback_query: { id: String(++seq), from: who, chat_instance: 'demo', data: button.callback_data, message: { message_id: card.messageId!, date: at(), chat, text: msg!.text } } } as never);
    return true;
  }

  /** Replies to the bot's last question in the chat of an incident's card. */
  async function answer(who: Person, incidentId: number, kind: 'department' | 'press', text: string): Promise<void> {
    const [card] = await app.db.select().from(cards).where(and(eq(cards.incidentId, incidentId), eq(cards.kind, kind)));
    if (!card) return;
    const question = api.messages(card.chatId).filter((m) => m.markup?.force_reply).at(-1);
    if (!question) return;
    const chat = { id: Number(card.chatId), type: 'supergroup' as const, title: card.chatId };
    await deliver({ message: { message_id: ++seq, date: at(), chat, from: who, text, reply_to_message: { message_id: question.messageId, date: at(), chat } } } as never);
  }

  function planFor(row: typeof incidents.$inferSelect): Plan {
    const behaviour = behaviourOf(row.number);
    const sla = (row.deadlineAt!.getTime() - row.detectedAt.getTime()) / MIN;
    const factor = behaviour === 'on_time' ? 0.15 + rand(row.number, 2) * 0.7 : behaviour === 'late' ? 1.1 + rand(row.number, 3) : 0.5;
    return {
      incidentId: row.id,
      number: row.number,
      department: row.departmentCode ?? app.installation.default_department,
      moderateAt: new Date(row.detectedAt.getTime() + (10 + rand(row.number, 4) * 40) * MIN),
      answerAt: behaviour === 'never' ? null : new Date(row.detectedAt.getTime() + sla * factor * MIN),
      behaviour,
      moderated: false,
      interimDone: false,
    };
  }

  async function act(plan: Plan, now: Date): Promise<void> {
    if (!plan.moderated && now >= plan.moderateAt) plan.moderated = await press(MODERATOR, plan.incidentId, 'moderator', '✅ Подтвердить');
    if (!plan.moderated || !plan.answerAt || now < plan.answerAt) return;
    const worker = await memberOf(plan.department);
    if (plan.behaviour === 'interim' && !plan.interimDone) {
      await press(worker, plan.incidentId, 'department', '🛠 Взять');
      await press(worker, plan.incidentId, 'department', '⏳ Промежуточный');
      await answer(worker, plan.incidentId, 'department', 'Ваше обращение передано в работу, ответ дадим после выезда специалистов.');
      plan.interimDone = true;
      plan.answerAt = new Date(now.getTime() + 2 * 24 * 60 * MIN);
      return;
    }
    await press(worker, plan.incidentId, 'department', '✍ Ответить');
    await answer(worker, plan.incidentId, 'department', 'Специалисты проверили информацию, меры приняты.');
    await press(PRESS, plan.incidentId, 'press', '📤 Опубликовать');
    plan.answerAt = null;
  }

  await join(MODERATOR, 'moderator');
  await join(PRESS, 'press');

  return {
    /** One tick: new incidents' cards go out (the intake's job), then people act at the clock's time. */
    async tick(): Promise<void> {
      await syncNewIncidents(rt.deps);
      await sendSetAsideDigest(rt.deps);
      await drain();
      const now = app.clock.now();
      const open = await app.db.select().from(incidents).where(eq(incidents.status, 'new'));
      for (const row of open) if (!plans.has(row.id) && row.deadlineAt) plans.set(row.id, planFor(row));
      for (const plan of plans.values()) await act(plan, now);
    },
  };
}
