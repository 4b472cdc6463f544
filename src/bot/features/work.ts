import { eq } from 'drizzle-orm';
import { answerDrafts, incidents, posts } from '../../db/schema.js';
import { canTransition, type Status } from '../../domain/status.js';
import { UserFacingError } from '../../incidents/decisions.js';
import { transition } from '../../incidents/transition.js';
import { departmentName } from '../cards/header.js';
import { ask, type ActionContext, type ButtonAction, type PromptAction } from './types.js';

/** Department buttons on the card in `departments[].chat`: only the incident's own department may press them. */
export const workButtons: Record<string, ButtonAction> = {
  take: {
    permission: 'work',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'in_work', actor: c.actor, at: c.now });
      return 'Взято в работу';
    },
  },
  ask_answer: { permission: 'work', run: (c) => ask(c, 'answer', 'напишите суть ответа жителю (можно приложить фото). Пресс-служба подготовит публикацию.') },
  ask_interim: { permission: 'work', run: (c) => ask(c, 'interim', 'промежуточный ответ: что делается и к какому сроку будет результат?') },
  ask_not_ours: { permission: 'work', run: (c) => ask(c, 'not_ours', 'почему это не ваш инцидент? Он вернётся модераторам.') },
};

export const workPrompts: Record<string, PromptAction> = {
  answer: {
    permission: 'work',
    async run(c) {
      if (!c.text) return addPhotos(c);
      await saveDepartmentAnswer(c, c.text, c.photos);
      await moveTo(c, 'ready');
      return 'Ответ передан пресс-службе';
    },
  },
  interim: {
    permission: 'work',
    async run(c) {
      // The interim answer is public: it goes out through the publisher, which stops the first clock.
      if (c.incident.status === 'assigned') await moveTo(c, 'in_work');
      const id = await c.deps.publisher.queueOnce({ incidentId: c.incident.id, text: c.text, interim: true, actor: c.actor });
      // The same message delivered again after a crash: published once.
      if (id === null) return 'Этот промежуточный ответ уже опубликован';
      const status = await c.deps.publisher.publish(id);
      return status === 'published' ? 'Промежуточный ответ опубликован' : 'Промежуточный ответ не подтверждён: см. пресс-службу';
    },
  },
  not_ours: {
    permission: 'work',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'new', actor: c.actor, at: c.now, reason: `не наше (${departmentName(c.deps.installation, c.incident.departmentCode)}): ${c.text}` });
      return 'Возвращено модераторам';
    },
  },
};

/** A photo sent after the captioned one (an album replies photo by photo): added to the answer. */
async function addPhotos(c: ActionContext & { photos: string[] }): Promise<string> {
  const [draft] = await c.deps.db.select().from(answerDrafts).where(eq(answerDrafts.incidentId, c.incident.id));
  if (!draft) throw new UserFacingError('сначала нужен текст ответа (подпись к фото)');
  await c.deps.db.update(answerDrafts).set({ photos: [...draft.photos, ...c.photos], updatedAt: c.now }).where(eq(answerDrafts.incidentId, c.incident.id));
  return `Фото добавлено к ответу (всего: ${draft.photos.length + c.photos.length})`;
}

async function moveTo(c: ActionContext, to: Status): Promise<void> {
  const path: Status[] = c.incident.status === 'assigned' && to === 'ready' ? ['in_work', 'ready'] : [to];
  for (const step of path) if (canTransition((await current(c)) as Status, step)) await transition(c.deps.db, { incidentId: c.incident.id, to: step, actor: c.actor, at: c.now });
}

async function current(c: ActionContext): Promise<string> {
  const [row] = await c.deps.db.select({ s: incidents.status }).from(incidents).where(eq(incidents.id, c.incident.id));
  return row?.s ?? c.incident.status;
}

/** Keeps the department's answer and writes the public draft (LLM or template). Photos sent later to the same question are added. */
export async function saveDepartmentAnswer(c: ActionContext, text: string, photos: string[]): Promise<void> {
  const [post] = await c.deps.db.select().from(posts).where(eq(posts.id, c.incident.firstPostId));
  const cfg = c.deps.installation;
  const draft = await c.deps.drafts.write({ territory: cfg.territory.name, author: post?.authorName ?? null, post: post?.text ?? c.incident.summary, department: departmentName(cfg, c.incident.departmentCode), answer: text });
  const values = { departmentText: text, photos, draft: draft.text, draftBy: draft.by, answeredBy: c.actor, updatedAt: c.now };
  await c.deps.db.insert(answerDrafts).values({ incidentId: c.incident.id, ...values }).onConflictDoUpdate({ target: answerDrafts.incidentId, set: values });
}
