import { and, desc, eq } from 'drizzle-orm';
import { answerDrafts, replies } from '../../db/schema.js';
import { UserFacingError } from '../../incidents/decisions.js';
import { transition } from '../../incidents/transition.js';
import { ask, type ActionContext, type ButtonAction, type PromptAction } from './types.js';

/** Press-service buttons on the card in `chats.press`. */
export const pressButtons: Record<string, ButtonAction> = {
  publish: {
    permission: 'publish',
    async run(c) {
      const [draft] = await c.deps.db.select().from(answerDrafts).where(eq(answerDrafts.incidentId, c.incident.id));
      if (!draft) throw new UserFacingError('черновика ответа нет');
      const id = await c.deps.publisher.queueOnce({ incidentId: c.incident.id, text: draft.draft, actor: c.actor, photos: draft.photos });
      // A second press, or the same press delivered again after a crash: never a second answer.
      if (id === null) throw new UserFacingError('ответ уже опубликован или отправляется');
      const status = await c.deps.publisher.publish(id);
      return status === 'published' ? 'Ответ опубликован' : status === 'unconfirmed' ? 'Не удалось подтвердить публикацию: проверьте' : 'Ответ не опубликован: см. карточку';
    },
  },
  ask_edit: { permission: 'publish', run: (c) => ask(c, 'edit', 'пришлите исправленный текст ответа целиком.') },
  ask_link: { permission: 'publish', run: (c) => ask(c, 'link', 'пришлите ссылку на опубликованный ответ.') },
  back_to_department: {
    permission: 'publish',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'in_work', actor: c.actor, at: c.now, reason: 'возвращено пресс-службой' });
      return 'Возвращено отделу';
    },
  },
  resend: {
    permission: 'publish',
    async run(c) {
      const reply = await latestReply(c, 'unconfirmed');
      // A person looked and decided it was not posted: only now may it go again.
      await c.deps.db.update(replies).set({ status: 'failed', lastError: 'повтор по решению пресс-службы' }).where(eq(replies.id, reply.id));
      const status = await c.deps.publisher.publish(reply.id);
      return status === 'published' ? 'Ответ опубликован' : 'Снова не удалось: см. карточку';
    },
  },
};

export const pressPrompts: Record<string, PromptAction> = {
  edit: {
    permission: 'publish',
    async run(c) {
      const done = await c.deps.db.update(answerDrafts).set({ draft: c.text, draftBy: 'press', updatedAt: c.now }).where(eq(answerDrafts.incidentId, c.incident.id)).returning();
      if (!done.length) throw new UserFacingError('черновика ответа нет');
      return 'Черновик изменён';
    },
  },
  link: {
    permission: 'publish',
    async run(c) {
      const url = /https?:\/\/\S+/.exec(c.text)?.[0];
      if (!url) throw new UserFacingError('нужна ссылка вида https://…');
      const [draft] = await c.deps.db.select().from(answerDrafts).where(eq(answerDrafts.incidentId, c.incident.id));
      await c.deps.publisher.markPublishedByHand({ incidentId: c.incident.id, url, text: draft?.draft ?? '', actor: c.actor });
      return 'Отмечено как опубликованное';
    },
  },
};

async function latestReply(c: ActionContext, status: string) {
  const [r] = await c.deps.db.select().from(replies).where(and(eq(replies.incidentId, c.incident.id), eq(replies.status, status))).orderBy(desc(replies.id)).limit(1);
  if (!r) throw new UserFacingError('нет ответа, ожидающего проверки');
  return r;
}
