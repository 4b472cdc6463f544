import type { Installation } from '../../config/installation.js';
import type { KeyboardSpec } from '../callbacks.js';
import type { CardModel } from '../card-model.js';
import { excerpt } from '../format.js';
import { classificationLines, headerLines, statusLines } from './header.js';

/** The department's card: the incident, its deadline, and the work buttons for its status. */
export function renderDepartmentCard(m: CardModel, cfg: Installation, now: Date): { html: string; keyboard: KeyboardSpec } {
  const lines = [...headerLines(m, cfg), '', ...classificationLines(m, cfg), ...statusLines(m, cfg, now)];
  if (m.draft) lines.push('', `Ответ отдела: ${excerpt(m.draft.departmentText, 800)}${m.draft.photos.length ? ` (+ фото: ${m.draft.photos.length})` : ''}`);
  return { html: lines.join('\n'), keyboard: departmentKeyboard(m.incident.status) };
}

function departmentKeyboard(status: string): KeyboardSpec {
  const answer = { text: '✍ Ответить', action: 'ask_answer' };
  const interim = { text: '⏳ Промежуточный ответ', action: 'ask_interim' };
  const notOurs = { text: '↩ Не наше', action: 'ask_not_ours' };
  switch (status) {
    case 'assigned':
      return [[{ text: '🛠 Взять в работу', action: 'take' }, answer], [interim, notOurs]];
    case 'in_work':
      return [[answer, interim], [notOurs]];
    case 'interim':
      return [[answer]];
    default:
      return [];
  }
}
