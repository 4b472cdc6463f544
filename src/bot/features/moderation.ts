import { changeDepartment, changeTopic, mergeInto, UserFacingError } from '../../incidents/decisions.js';
import { transition } from '../../incidents/transition.js';
import { setCardView } from '../card-sync.js';
import { ask, type ButtonAction, type PromptAction } from './types.js';

/** Moderators' buttons on the card in `chats.moderators`. Every decision is an event; confirm and reject become training labels. */
export const moderationButtons: Record<string, ButtonAction> = {
  view: {
    permission: 'moderate',
    async run(c) {
      await setCardView(c.deps, c.incident.id, c.chatId, c.arg ?? 'main');
    },
  },
  set_topic: {
    permission: 'moderate',
    async run(c) {
      await changeTopic(decisionDeps(c.deps), { incidentId: c.incident.id, topic: c.arg ?? '', actor: c.actor, at: c.now });
      await setCardView(c.deps, c.incident.id, c.chatId, 'main');
      return `Тема: ${c.arg}`;
    },
  },
  set_department: {
    permission: 'moderate',
    async run(c) {
      await changeDepartment(c.deps.db, { incidentId: c.incident.id, department: c.arg ?? '', actor: c.actor, at: c.now });
      await setCardView(c.deps, c.incident.id, c.chatId, 'main');
      return 'Отдел изменён';
    },
  },
  confirm: {
    permission: 'moderate',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'assigned', actor: c.actor, at: c.now, department: c.incident.departmentCode, topic: c.incident.topic });
      return 'Назначено отделу';
    },
  },
  reject: {
    permission: 'moderate',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'rejected', actor: c.actor, at: c.now, reason: c.arg ?? 'другое' });
      return 'Отмечено: не инцидент';
    },
  },
  ask_reject: { permission: 'moderate', run: (c) => ask(c, 'reject_other', 'почему это не инцидент?') },
  ask_merge: { permission: 'moderate', run: (c) => ask(c, 'merge', 'с каким инцидентом объединить? Пришлите его номер.') },
  ask_redirect: { permission: 'moderate', run: (c) => ask(c, 'redirect', 'в какой орган направить (по компетенции)?') },
};

export const moderationPrompts: Record<string, PromptAction> = {
  reject_other: {
    permission: 'moderate',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'rejected', actor: c.actor, at: c.now, reason: `другое: ${c.text}` });
    },
  },
  merge: {
    permission: 'moderate',
    async run(c) {
      const n = Number(/\d+/.exec(c.text)?.[0]);
      if (!Number.isSafeInteger(n)) throw new UserFacingError('нужен номер инцидента, например 42');
      await mergeInto(c.deps.db, { incidentId: c.incident.id, targetNumber: n, actor: c.actor, at: c.now });
      return `Объединён с № ${n}`;
    },
  },
  redirect: {
    permission: 'moderate',
    async run(c) {
      await transition(c.deps.db, { incidentId: c.incident.id, to: 'redirected', actor: c.actor, at: c.now, redirectTo: c.text });
    },
  },
};

function decisionDeps(d: ButtonActionDeps) {
  return { db: d.db, installation: d.installation, gazetteer: d.gazetteer, deadline: d.deadline };
}
type ButtonActionDeps = Parameters<ButtonAction['run']>[0]['deps'];
