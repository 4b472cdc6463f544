import type { Installation } from '../../config/installation.js';
import type { KeyboardSpec } from '../callbacks.js';
import type { CardModel } from '../card-model.js';
import { excerpt, link } from '../format.js';
import { escapeHtml } from '../html.js';
import { headerLines, statusLines } from './header.js';

/**
 * The press service's card: the post, the department's answer, the public draft, and
 * the publishing buttons; a reply whose fate is unknown asks for the link or a resend.
 */
export function renderPressCard(m: CardModel, cfg: Installation, now: Date): { html: string; keyboard: KeyboardSpec } {
  const lines = [...headerLines(m, cfg, { excerptChars: 400 }), '', ...statusLines(m, cfg, now)];
  if (m.draft) {
    lines.push('', `<b>Ответ отдела:</b> ${excerpt(m.draft.departmentText, 800)}${m.draft.photos.length ? ` (+ фото: ${m.draft.photos.length})` : ''}`);
    lines.push('', `<b>Черновик ответа${m.draft.draftBy === 'llm' ? ' (ИИ)' : m.draft.draftBy === 'press' ? ' (правка пресс-службы)' : ''}:</b>`, escapeHtml(m.draft.draft));
  }
  const reply = m.reply;
  if (reply?.status === 'unconfirmed') lines.push('', `⚠️ Неизвестно, опубликован ли ответ (${escapeHtml(reply.lastError ?? 'нет подтверждения')}). Проверьте публикацию.`);
  if (reply?.status === 'failed') lines.push('', `❌ Ответ не опубликован: ${escapeHtml(reply.lastError ?? '')}`);
  if (reply?.status === 'published') lines.push('', `✅ ${link(reply.url, 'Ответ опубликован')}`);
  return { html: lines.join('\n'), keyboard: pressKeyboard(m) };
}

function pressKeyboard(m: CardModel): KeyboardSpec {
  if (m.reply?.status === 'unconfirmed') {
    return [[{ text: '🔗 Опубликовано — дать ссылку', action: 'ask_link' }], [{ text: '🔁 Отправить снова', action: 'resend' }]];
  }
  if (m.incident.status !== 'ready') return [];
  return [
    [{ text: '📤 Опубликовать', action: 'publish' }, { text: '✏️ Изменить', action: 'ask_edit' }],
    [{ text: '🔗 Опубликовано вручную', action: 'ask_link' }, { text: '↩ Вернуть отделу', action: 'back_to_department' }],
  ];
}
