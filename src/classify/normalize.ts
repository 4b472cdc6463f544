/**
 * Text normalization shared by every classifier: citizens' texts arrive with HTML
 * fragments (`<p>`, `&nbsp;`), mixed case and ё/е spelled either way.
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  laquo: '«',
  raquo: '»',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

function decodeEntity(_m: string, body: string): string {
  if (body.startsWith('#x') || body.startsWith('#X')) return safeChar(parseInt(body.slice(2), 16));
  if (body.startsWith('#')) return safeChar(parseInt(body.slice(1), 10));
  return NAMED_ENTITIES[body.toLowerCase()] ?? ' ';
}

function safeChar(code: number): string {
  return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
}

/**
 * The last text normalized and its result: the features, the kind lexicon and the topic
 * keywords each normalize the same text in turn, and a file of 100,000 texts paid for it
 * three times. A pure function, so remembering one answer changes nothing but the cost.
 */
let lastInput: string | null = null;
let lastNormalized = '';

/** Strips tags and entities, lowercases, folds ё→е and collapses whitespace. */
export function normalizeText(input: string): string {
  if (input === lastInput) return lastNormalized;
  const out = input
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?[a-zA-Z0-9]+);/g, decodeEntity)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim();
  [lastInput, lastNormalized] = [input, out];
  return out;
}

/** Word tokens of a normalized text (letters and digits only). */
export function wordsOf(normalized: string): string[] {
  return normalized.split(/[^a-zа-я0-9]+/).filter((w) => w.length > 0);
}
