import { words } from './normalize.js';

/**
 * Near-duplicate detection: two texts are about one problem when their word
 * stems overlap enough, or when they name the same address and topic.
 * Pure; the fingerprint is computed once per text.
 */
export interface Fingerprint {
  stems: Set<string>;
  /** "ленин 15" — the first street-like word followed by a house number, if any. */
  address: string | null;
}

const STOP = new Set(
  'и в во на не что это как а но с со по к у о об за из от до для же ли бы то так все уже там тут вот его ее их мы вы они он она очень просто еще когда где уже нас вас был была были есть нет да'.split(' '),
);

/** Crude Russian stemming: the first 5 letters carry the root for most words. */
export function stemOf(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

export function fingerprint(text: string): Fingerprint {
  const ws = words(text);
  const stems = new Set(ws.filter((w) => w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w)).map(stemOf));
  return { stems, address: addressOf(ws) };
}

function addressOf(ws: string[]): string | null {
  for (let i = 0; i < ws.length - 1; i++) {
    const w = ws[i]!;
    if (w.length < 4 || /^\d/.test(w)) continue;
    const next = ws[i + 1]!;
    const house = /^\d{1,3}[а-я]?$/.test(next) ? next : ws[i + 2] === undefined || !/^(д|дом)$/.test(next) ? null : ws[i + 2]!;
    if (house && /^\d/.test(house)) return `${stemOf(w)} ${house}`;
  }
  return null;
}

/** Jaccard similarity of stem sets, 0..1. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  if (a.stems.size === 0 || b.stems.size === 0) return 0;
  const [small, large] = a.stems.size <= b.stems.size ? [a.stems, b.stems] : [b.stems, a.stems];
  let common = 0;
  for (const s of small) if (large.has(s)) common++;
  return common / (a.stems.size + b.stems.size - common);
}

/** One problem? Same address and topic, or text similarity over the threshold. */
export function isNearDuplicate(
  a: Fingerprint & { topic: string | null },
  b: Fingerprint & { topic: string | null },
  threshold: number,
): boolean {
  if (a.address && a.address === b.address && a.topic !== null && a.topic === b.topic) return true;
  return similarity(a, b) >= threshold;
}
