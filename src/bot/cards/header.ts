import type { Installation } from '../../config/installation.js';
import { STATUS_LABELS, type Status } from '../../domain/status.js';
import { formatMinutes, responseTimes } from '../../incidents/times.js';
import type { CardModel } from '../card-model.js';
import { CHANNEL_LABELS, KIND_LABELS, excerpt, link, percent, when } from '../format.js';
import { escapeHtml } from '../html.js';

export function departmentName(cfg: Installation, code: string | null): string {
  if (!code) return '—';
  return cfg.departments.find((d) => d.code === code)?.name ?? code;
}

/** The lines every card starts with: number, channel and source, author, time, excerpt with the original. */
export function headerLines(m: CardModel, cfg: Installation, opts: { excerptChars?: number } = {}): string[] {
  const inc = m.incident;
  const tz = cfg.timezone;
  const post = m.post;
  const source = m.sourceName ? ` · ${escapeHtml(m.sourceName)}` : '';
  const lines = [`<b>№ ${inc.number}</b> · ${CHANNEL_LABELS[inc.channel] ?? escapeHtml(inc.channel)}${source}`];
  if (post) {
    lines.push(`👤 ${escapeHtml(post.authorName ?? post.authorId ?? 'автор неизвестен')} · ${when(post.publishedAt, tz)}`);
    lines.push(`«${excerpt(post.text, opts.excerptChars ?? 600, post.url)}»${post.url ? ` ${link(post.url, 'оригинал')}` : ''}`);
  }
  return lines;
}

/** Kind, topic, department, territory with the classifier's confidence and reason. */
export function classificationLines(m: CardModel, cfg: Installation): string[] {
  const inc = m.incident;
  const explanation = typeof m.created.explanation === 'string' ? m.created.explanation : null;
  const topic = inc.topic ? `${escapeHtml(inc.topic)}${inc.topicGroup ? ` (${escapeHtml(inc.topicGroup)})` : ''}` : 'не определена';
  const lines = [
    `Вид: ${KIND_LABELS[inc.kind] ?? escapeHtml(inc.kind)} · Тема: ${topic}${percent(inc.confidence)}${inc.needsReview ? ' · ⚠️ проверить' : ''}`,
    `Отдел: ${escapeHtml(departmentName(cfg, inc.departmentCode))}${inc.territory ? ` · ${escapeHtml(inc.territory)}` : ''}`,
  ];
  const why = [explanation, inc.routeReason].filter(Boolean).map((s) => escapeHtml(String(s))).join('; ');
  if (why) lines.push(`<i>Почему: ${why}</i>`);
  const extra = [inc.postsCount > 1 ? `публикаций: ${inc.postsCount}` : '', inc.isRepeat ? '🔁 повторное' : ''].filter(Boolean);
  if (extra.length) lines.push(extra.join(' · '));
  return lines;
}

/** Deadline and the current status with who moved it and when. */
export function statusLines(m: CardModel, cfg: Installation, now: Date): string[] {
  const inc = m.incident;
  const tz = cfg.timezone;
  const overdue = !inc.firstResponseAt && inc.deadlineAt && inc.deadlineAt.getTime() < now.getTime() ? ' ⏰' : '';
  const lines = [`Срок: ${when(inc.deadlineAt, tz)}${overdue}${inc.followupDeadlineAt ? ` · полный ответ до ${when(inc.followupDeadlineAt, tz)}` : ''}`];
  const who = m.lastMove ? ` — ${escapeHtml(m.lastMove.actor)}, ${when(m.lastMove.at, tz)}` : '';
  lines.push(`Статус: <b>${STATUS_LABELS[inc.status as Status] ?? escapeHtml(inc.status)}</b>${who}`);
  if (inc.rejectReason) lines.push(`Причина: ${escapeHtml(inc.rejectReason)}`);
  if (inc.redirectedTo) lines.push(`Направлено: ${escapeHtml(inc.redirectedTo)}`);
  if (inc.duplicateOf) lines.push(`Объединён с инцидентом (id ${inc.duplicateOf})`);
  if (m.reply?.status === 'published' && m.reply.url) lines.push(`Ответ: ${link(m.reply.url, 'опубликован')}`);
  const t = responseTimes(inc, m.post?.publishedAt ?? null);
  if (t) lines.push(`Первый ответ: через ${formatMinutes(t.fromPublicationMin)} после публикации, ${formatMinutes(t.fromDetectionMin)} после обнаружения`);
  return lines;
}
