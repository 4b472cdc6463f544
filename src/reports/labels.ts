/** Russian names used in reports and bot messages. */
export const CHANNEL_LABELS: Record<string, string> = {
  vk: 'ВКонтакте',
  ok: 'Одноклассники',
  telegram: 'Telegram',
  file: 'Импорт',
};

/** «1 инцидент», «2 инцидента», «5 инцидентов». */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

/** «3 ч 12 мин» */
export function formatDuration(min: number | null): string {
  if (min === null) return '—';
  const total = Math.round(min);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h >= 48) return `${Math.floor(h / 24)} дн ${h % 24} ч`;
  return h ? `${h} ч ${m} мин` : `${m} мин`;
}

export function formatPercent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1).replace('.', ',')}%`;
}

/** «+12 (+25,0%)» against the previous period. */
export function formatChange(now: number, before: number): string {
  const diff = now - before;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const pct = before ? ` (${sign}${Math.abs((diff / before) * 100).toFixed(1).replace('.', ',')}%)` : '';
  return `${sign}${Math.abs(diff)}${pct}`;
}

/** Shortens a name to at most `max` characters at a word boundary, with an ellipsis; never cuts a word. */
export function clip(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  // Look one character further: a word that ends exactly at the limit is kept.
  const space = s.slice(0, max).lastIndexOf(' ');
  const cut = s.slice(0, max - 1);
  // A single word longer than the limit is kept whole rather than cut.
  if (space <= 0) return s.split(' ')[0]! + (s.includes(' ') ? '…' : '');
  return `${s.slice(0, Math.min(space, cut.length)).replace(/[\s,;:.—–-]+$/, '')}…`;
}

/** «3 ч 12 мин (календарное) · 1 ч 40 мин (рабочее)» */
export function formatBothDurations(calendarMin: number | null, workMin: number | null): string {
  return `${formatDuration(calendarMin)} календарного времени, ${formatDuration(workMin)} рабочего`;
}
