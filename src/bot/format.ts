import { DateTime } from 'luxon';
import { escapeHtml } from './html.js';

export const CHANNEL_LABELS: Record<string, string> = { vk: 'ВКонтакте', ok: 'Одноклассники', telegram: 'Telegram', file: 'файл' };
export const KIND_LABELS: Record<string, string> = {
  complaint: 'жалоба',
  question: 'вопрос',
  request: 'просьба',
  suggestion: 'предложение',
  thanks: 'благодарность',
  noise: 'не инцидент',
};

/** `16.11 09:05` in the installation's zone. */
export function when(at: Date | null | undefined, tz: string): string {
  return at ? DateTime.fromJSDate(at, { zone: tz }).toFormat('dd.MM HH:mm') : '—';
}

/** User text for a card: escaped, cut at `max` characters with a link to the original when there is one. */
export function excerpt(text: string, max: number, url?: string | null): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return escapeHtml(flat);
  const cut = flat.slice(0, max).replace(/\s+\S*$/, '');
  return `${escapeHtml(cut)}…${url ? ` <a href="${escapeAttr(url)}">читать полностью</a>` : ''}`;
}

/** A link whose href came from outside: quotes escaped too (it sits in an attribute). */
export function link(url: string | null | undefined, label: string): string {
  return url ? `<a href="${escapeAttr(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}

function escapeAttr(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;');
}

export function percent(p: number | null | undefined): string {
  return p === null || p === undefined ? '' : ` (${Math.round(p * 100)}%)`;
}

/** Telegram's message limit is 4096 characters; cards stay well under it. */
export function fit(html: string, max = 4000): string {
  return html.length <= max ? html : `${html.slice(0, max - 1)}…`;
}
