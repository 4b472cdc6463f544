/**
 * What Telegram's `parse_mode: HTML` accepts (core.telegram.org/bots/api#html-style): only
 * the listed tags, properly nested, and only the four named entities plus numeric ones. A
 * message that breaks these rules is refused with "can't parse entities" — a card built from
 * a citizen's text must never be. Returns null when valid, otherwise the reason.
 */
const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'tg-emoji', 'blockquote', 'span']);

export function telegramHtmlError(html: string): string | null {
  const stack: string[] = [];
  const token = /<(\/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>|<|&(#\d+|#x[0-9a-f]+|[a-z]+);|&/gi;
  for (const m of html.matchAll(token)) {
    if (m[0] === '<') return `a bare "<" at ${m.index}`;
    if (m[0] === '&') return `a bare "&" at ${m.index}`;
    if (m[4] !== undefined) {
      if (!m[4].startsWith('#') && !['lt', 'gt', 'amp', 'quot'].includes(m[4])) return `unknown entity &${m[4]};`;
      continue;
    }
    const [, closing, name = ''] = m;
    if (!TAGS.has(name.toLowerCase())) return `unsupported tag <${name}>`;
    if (closing) {
      if (stack.pop() !== name.toLowerCase()) return `unbalanced </${name}>`;
    } else stack.push(name.toLowerCase());
  }
  return stack.length ? `unclosed <${stack.at(-1)}>` : null;
}
