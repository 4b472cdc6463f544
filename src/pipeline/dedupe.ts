import { words } from './normalize.js';

/**
 * Near-duplicate detection: two texts are about one problem when they name the
 * same address (street from the gazetteer + house) and a compatible topic, or
 * when their word stems overlap enough — but never when they name different
 * places (Ленина 5 / Союзная 30 / Косиново): the same complaint about three
 * addresses is three problems. Pure; a fingerprint is computed once per text.
 */
export interface Fingerprint {
  stems: Set<string>;
  /** Street name from the gazetteer, if the text names one. */
  street: string | null;
  /** House number right after the street ("16/2" → "16/2"), if any. */
  house: string | null;
  /** Settlement or microdistrict from the gazetteer (Косиново), if the text names one. */
  settlement?: string | null;
}

const STOP = new Set(
  'и в во на не что это как а но с со по к у о об за из от до для же ли бы то так все уже там тут вот его ее их мы вы они он она очень просто еще когда где нас вас был была были есть нет да улица ул дом д'.split(' '),
);

/** Crude Russian stemming: the first 5 letters carry the root for most words. */
export function stemOf(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

export function fingerprint(text: string, street: string | null = null, settlement: string | null = null): Fingerprint {
  const ws = words(text);
  const stems = new Set(ws.filter((w) => w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w)).map(stemOf));
  return { stems, street, house: street ? houseAfter(ws, street) : null, settlement };
}

/** The first number within three words after a mention of the street. */
function houseAfter(ws: string[], street: string): string | null {
  const key = words(street).filter((w) => w.length >= 4).map((w) => w.slice(0, Math.max(4, w.length - 2)));
  for (let i = 0; i < ws.length; i++) {
    if (!key.some((k) => ws[i]!.startsWith(k))) continue;
    for (let j = i + 1; j <= i + 3 && j < ws.length; j++) {
      if (/^\d{1,3}$/.test(ws[j]!)) return ws[j]!;
    }
  }
  return null;
}

/** Jaccard similarity of stem sets, 0..1. */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  const common = commonStems(a, b);
  return common ? common / (a.stems.size + b.stems.size - common) : 0;
}

export function commonStems(a: Fingerprint, b: Fingerprint): number {
  const [small, large] = a.stems.size <= b.stems.size ? [a.stems, b.stems] : [b.stems, a.stems];
  let common = 0;
  for (const s of small) if (large.has(s)) common++;
  return common;
}

/**
 * Two texts name different places: two settlements, two streets, two houses on
 * one street, or a street in one and a settlement in the other. A text naming no
 * place (or only a street, beside one naming that street and a house) conflicts with none.
 */
export function addressesDiffer(a: Fingerprint, b: Fingerprint): boolean {
  const sa = a.settlement ?? null;
  const sb = b.settlement ?? null;
  if (sa && sb && sa !== sb) return true;
  if (a.street && b.street) return a.street !== b.street || (a.house !== null && b.house !== null && a.house !== b.house);
  return (a.street !== null && !sa && sb !== null) || (b.street !== null && !sb && sa !== null);
}

type Candidate = Fingerprint & { topic: string | null };

/** One problem? Not when they name different places; else same address and compatible topic, or texts that mostly say the same. */
export function isNearDuplicate(a: Candidate, b: Candidate, threshold: number): boolean {
  if (addressesDiffer(a, b)) return false;
  const sameTopic = a.topic !== null && a.topic === b.topic;
  if (a.street && a.street === b.street) {
    if (a.house && b.house) {
      if (a.house === b.house && (sameTopic || a.topic === null || b.topic === null)) return true;
    } else if (sameTopic) {
      return true;
    }
  }
  const common = commonStems(a, b);
  const overlap = common / Math.max(1, Math.min(a.stems.size, b.stems.size));
  if (common >= 4 && overlap >= 0.7 && (sameTopic || a.topic === null || b.topic === null)) return true;
  return similarity(a, b) >= threshold;
}
