/**
 * Turns what a network gave into plain text: HTML fragments and entities out,
 * whitespace collapsed, line breaks kept, emoji kept. Pure; never throws.
 */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»',
  mdash: '—', ndash: '–', hellip: '…', bull: '•', copy: '©', reg: '®', shy: '', deg: '°', numero: '№',
};

/** Longest text kept for processing; the raw original stays in posts.raw. */
export const MAX_TEXT_LENGTH = 20_000;

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[body.toLowerCase()] ?? m;
  });
}

export function stripHtml(s: string): string {
  return s
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<\/?[a-z][^<>]*>/gi, '');
}

export function normalizeText(input: string | null | undefined): string {
  if (!input) return '';
  let s = input.length > MAX_TEXT_LENGTH * 2 ? input.slice(0, MAX_TEXT_LENGTH * 2) : input;
  // Entities first (so &lt;p&gt; stays text only if it was double-escaped), then tags.
  s = stripHtml(decodeEntities(stripHtml(s)));
  s = s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u2060\ufeff]/g, '')
    // Joiners and soft hyphens inside a word («я\u200dма») would hide it from every classifier;
    // between emoji they stay (👨‍👩‍👧 is one picture).
    .replace(/(?<=\p{L})[\u200c\u200d\u00ad]+(?=\p{L})/gu, '')
    .replace(/[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return s.length > MAX_TEXT_LENGTH ? s.slice(0, MAX_TEXT_LENGTH) : s;
}

/** Lowercased words (letters and digits only, ё→е) for matching and near-duplicate detection. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/https?:\/\/\S+/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A short summary line for cards and reports. */
export function summarize(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '(без текста)';
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
