import type { Installation } from '../../config/installation.js';
import type { ButtonSpec, KeyboardSpec } from '../callbacks.js';
import type { CardModel } from '../card-model.js';
import { classificationLines, departmentName, headerLines, statusLines } from './header.js';

export const REJECT_REASONS = ['спам', 'реклама', 'новость', 'благодарность', 'не наша территория', 'флуд'] as const;

/** What the moderators' card shows: the main buttons, or one of its pick lists. */
export type ModeratorView = 'main' | 'topics' | `group:${string}` | 'departments' | 'reject';

export function renderModeratorCard(m: CardModel, cfg: Installation, view: string, now: Date): { html: string; keyboard: KeyboardSpec } {
  const html = [...headerLines(m, cfg), '', ...classificationLines(m, cfg), ...statusLines(m, cfg, now)].join('\n');
  return { html, keyboard: m.incident.status === 'new' ? moderatorKeyboard(m, cfg, view) : [] };
}

function moderatorKeyboard(m: CardModel, cfg: Installation, view: string): KeyboardSpec {
  const back: ButtonSpec[] = [{ text: '◂ Назад', action: 'view', arg: 'main' }];
  if (view === 'topics') return [...topTopics(m, cfg).map((t) => [{ text: `⭐ ${t}`, action: 'set_topic', arg: t }]), ...pairs(groups(cfg).map((g) => ({ text: g, action: 'view', arg: `group:${g}` }))), back];
  if (view.startsWith('group:')) {
    const group = view.slice('group:'.length);
    return [...pairs(cfg.topics.filter((t) => t.group === group).map((t) => ({ text: t.name, action: 'set_topic', arg: t.name }))), [{ text: '◂ Группы', action: 'view', arg: 'topics' }]];
  }
  if (view === 'departments') {
    const top = topDepartments(m);
    const rest = cfg.departments.filter((d) => !top.includes(d.code));
    return [...top.map((c) => [{ text: `⭐ ${departmentName(cfg, c)}`, action: 'set_department', arg: c }]), ...rest.map((d) => [{ text: d.name, action: 'set_department', arg: d.code }]), back];
  }
  if (view === 'reject') return [...pairs([...REJECT_REASONS, 'другое…'].map((r) => ({ text: r, action: r === 'другое…' ? 'ask_reject' : 'reject', arg: r }))), back];
  const dept = departmentName(cfg, m.incident.departmentCode);
  return [
    [{ text: `✅ Подтвердить → ${short(dept)}`, action: 'confirm' }],
    [
      { text: '🏷 Тема', action: 'view', arg: 'topics' },
      { text: '🏢 Отдел', action: 'view', arg: 'departments' },
    ],
    [
      { text: '🚫 Не инцидент', action: 'view', arg: 'reject' },
      { text: '🔗 Объединить', action: 'ask_merge' },
      { text: '↪ Перенаправить', action: 'ask_redirect' },
    ],
  ];
}

/** The model's top 3 topics (#9 fills `topTopics`), or the current topic when it gave none. */
function topTopics(m: CardModel, cfg: Installation): string[] {
  const top = Array.isArray(m.created.topTopics) ? (m.created.topTopics as Array<{ name?: unknown }>).map((t) => String(t.name ?? '')) : [];
  const known = new Set(cfg.topics.map((t) => t.name));
  const list = [...top, ...(m.incident.topic ? [m.incident.topic] : [])].filter((t) => known.has(t));
  return [...new Set(list)].slice(0, 3);
}

function topDepartments(m: CardModel): string[] {
  const top = Array.isArray(m.created.topDepartments) ? (m.created.topDepartments as Array<{ code?: unknown }>).map((d) => String(d.code ?? '')) : [];
  return [...new Set([...top, ...(m.incident.departmentCode ? [m.incident.departmentCode] : [])])].filter(Boolean).slice(0, 3);
}

function groups(cfg: Installation): string[] {
  return [...new Set(cfg.topics.map((t) => t.group))];
}

function pairs(buttons: ButtonSpec[]): ButtonSpec[][] {
  const rows: ButtonSpec[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

function short(s: string): string {
  return s.length > 28 ? `${s.slice(0, 27)}…` : s;
}
