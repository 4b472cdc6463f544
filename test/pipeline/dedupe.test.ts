import { describe, expect, it } from 'vitest';
import { classifyByRules } from '../../src/classify/rules.js';
import { isOpen, type Status } from '../../src/domain/status.js';
import { normalizeText, words } from '../../src/pipeline/normalize.js';
import { addressesDiffer, fingerprint, type Fingerprint } from '../../src/pipeline/dedupe.js';
import { createDedupeMemory } from '../../src/pipeline/dedupe-candidates.js';
import { createGazetteer } from '../../src/routing/territory.js';
import { generatePosts, prng } from '../bench/feed.js';
import { testInstallation } from '../helpers/app.js';

/**
 * The linear near-duplicate search as it was before the index (reference copy,
 * kept verbatim apart from the `skip` hook): every entry compared, the best kept.
 */
namespace before {
  const STOP = new Set(
    'и в во на не что это как а но с со по к у о об за из от до для же ли бы то так все уже там тут вот его ее их мы вы они он она очень просто еще когда где нас вас был была были есть нет да улица ул дом д'.split(' '),
  );
  const stemOf = (word: string) => (word.length > 5 ? word.slice(0, 5) : word);
  export interface Fp {
    stems: Set<string>;
    street: string | null;
    house: string | null;
  }
  export function fingerprint(text: string, street: string | null = null): Fp {
    const ws = words(text);
    const stems = new Set(ws.filter((w) => w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w)).map(stemOf));
    return { stems, street, house: street ? houseAfter(ws, street) : null };
  }
  function houseAfter(ws: string[], street: string): string | null {
    const key = words(street).filter((w) => w.length >= 4).map((w) => w.slice(0, Math.max(4, w.length - 2)));
    for (let i = 0; i < ws.length; i++) {
      if (!key.some((k) => ws[i]!.startsWith(k))) continue;
      for (let j = i + 1; j <= i + 3 && j < ws.length; j++) if (/^\d{1,3}$/.test(ws[j]!)) return ws[j]!;
    }
    return null;
  }
  function similarity(a: Fp, b: Fp): number {
    const common = commonStems(a, b);
    return common ? common / (a.stems.size + b.stems.size - common) : 0;
  }
  function commonStems(a: Fp, b: Fp): number {
    const [small, large] = a.stems.size <= b.stems.size ? [a.stems, b.stems] : [b.stems, a.stems];
    let common = 0;
    for (const s of small) if (large.has(s)) common++;
    return common;
  }
  type Candidate = Fp & { topic: string | null };
  export function isNearDuplicate(a: Candidate, b: Candidate, threshold: number): boolean {
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
  export type Entry = Candidate & { id: number; status: Status; detectedAt: Date };
  const WATCHED: Status[] = ['new', 'assigned', 'in_work', 'interim', 'answered', 'closed'];
  /**
   * The loop of the old `find`. It also returns, from the same pass, the best
   * entry once the one intended fix (`skip`: the addresses differ) is applied.
   */
  export function find(entries: Entry[], fp: Candidate, now: Date, windowMs: number, threshold: number, skip: (e: Entry) => boolean) {
    const since = now.getTime() - windowMs;
    const better = (e: Entry, best: Entry | null) => !best || (isOpen(e.status) && !isOpen(best.status)) || (isOpen(e.status) === isOpen(best.status) && e.detectedAt > best.detectedAt);
    let best: Entry | null = null;
    let fixed: Entry | null = null;
    for (const e of entries) {
      if (e.detectedAt.getTime() < since || !WATCHED.includes(e.status)) continue;
      if (!isNearDuplicate(fp, e, threshold)) continue;
      if (better(e, best)) best = e;
      if (!skip(e) && better(e, fixed)) fixed = e;
    }
    return { unfixed: best, expected: fixed };
  }
}

const installation = testInstallation();
const gazetteer = createGazetteer(installation.territory);
const { window_hours: windowHours, threshold } = installation.dedupe;
const windowMs = windowHours * 3_600_000;
/** Fingerprints of the incidents opened in the equivalence run, by id. */
const prints = new Map<number, Fingerprint>();

function printOf(text: string): Fingerprint {
  const place = gazetteer.find(text);
  return fingerprint(text, place.street, place.settlement?.name ?? null);
}

describe('near-duplicates', () => {
  it('the same wording about Ленина 5, Союзной 30 and Косиново stays three problems', () => {
    const texts = ['Третий день нет горячей воды на ул. Ленина 5, когда дадут?', 'Третий день нет горячей воды на ул. Союзной 30, когда дадут?', 'Третий день нет горячей воды в Косиново, когда дадут?'];
    const memory = createDedupeMemory({ threshold, windowMs });
    const now = new Date('2026-11-16T09:00:00Z');
    texts.forEach((t, i) => {
      expect(memory.find(printOf(t), 'Отсутствие горячей воды', now)).toBeNull();
      memory.add({ ...printOf(t), id: i + 1, topic: 'Отсутствие горячей воды', status: 'new', detectedAt: now });
    });
    // The same words again about one of those places, or about no place, still join.
    expect(memory.find(printOf('Нет горячей воды третий день на ул. Союзной 30, когда дадут?'), 'Отсутствие горячей воды', now)?.id).toBe(2);
    expect(memory.find(printOf('Третий день нет горячей воды, когда дадут?'), null, now)?.id).toBe(3);
  });

  it('addresses differ only when both texts name a place and the places are not the same', () => {
    const fp = (street: string | null, house: string | null, settlement: string | null) => ({ stems: new Set<string>(), street, house, settlement });
    expect(addressesDiffer(fp('Ленина', '5', null), fp('Ленина', '7', null))).toBe(true);
    expect(addressesDiffer(fp('Ленина', '5', null), fp('Союзная', '5', null))).toBe(true);
    expect(addressesDiffer(fp('Ленина', '5', null), fp(null, null, 'Косиново'))).toBe(true);
    expect(addressesDiffer(fp(null, null, 'Рышково'), fp(null, null, 'Косиново'))).toBe(true);
    expect(addressesDiffer(fp('Ленина', '5', null), fp('Ленина', null, null))).toBe(false);
    expect(addressesDiffer(fp('Ленина', '5', null), fp(null, null, null))).toBe(false);
    expect(addressesDiffer(fp('Ленина', '5', 'Косиново'), fp('Ленина', '5', null))).toBe(false);
  });

  // The reference scan is quadratic (about 10 M comparisons): a generous time-out keeps it far from the limit on one loaded core.
  it('on a 5,000-post generated feed the indexed search decides as the linear scan did, apart from the address fix', { timeout: 180_000 }, () => {
    const memory = createDedupeMemory({ threshold, windowMs });
    const entries: before.Entry[] = [];
    const rnd = prng(42);
    const start = new Date('2026-11-16T06:00:00Z').getTime();
    let merged = 0;
    let fixed = 0;
    let i = 0;
    for (const post of generatePosts(5000, { seed: 11, houses: 30 })) {
      i++;
      // 40 s apart: over 5,000 posts the 72-hour window starts to drop the oldest incidents.
      const now = new Date(start + i * 40_000 + 60 * 3_600_000 * Number(i > 2500));
      const text = normalizeText(post.text);
      const topic = classifyByRules(installation, text).topic;
      const old = { ...before.fingerprint(text, gazetteer.find(text).street), topic };
      const fp = printOf(text);
      const { unfixed, expected } = before.find(entries, old, now, windowMs, threshold, (e) => addressesDiffer(fp, prints.get(e.id)!));
      const got = memory.find(fp, topic, now);
      expect(got?.id ?? null, `post ${i}: ${text}`).toBe(expected?.id ?? null);
      if (unfixed?.id !== expected?.id) {
        fixed++;
        expect(addressesDiffer(fp, prints.get(unfixed!.id)!)).toBe(true);
      }
      if (got) {
        merged++;
        continue;
      }
      // Some incidents are already answered: a later post about them is a repeat, and an open one is preferred.
      const status: Status = rnd() < 0.1 ? 'answered' : 'new';
      prints.set(i, fp);
      entries.push({ ...old, id: i, status, detectedAt: now });
      memory.add({ ...fp, id: i, topic, status, detectedAt: now });
    }
    // The feed exercises both: many merges, and posts the old scan merged across addresses.
    expect(merged).toBeGreaterThan(1000);
    expect(fixed).toBeGreaterThan(100);
  });
});
