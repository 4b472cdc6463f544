import { isOpen, OPEN_STATUSES, type Status } from '../domain/status.js';
import { addressesDiffer, isNearDuplicate, type Fingerprint } from './dedupe.js';
import { entryAddressKeys, entryBuckets, queryAddressKeys, queryBuckets } from './dedupe-keys.js';
import { walkNewestFirst } from './dedupe-scan.js';

/** An incident as the near-duplicate search sees it. */
export interface DedupeEntry extends Fingerprint {
  id: number;
  topic: string | null;
  status: Status;
  detectedAt: Date;
}

/**
 * Bounds on the work per post, whatever the number of open incidents: stem
 * postings read, entries taken from one address list, full comparisons.
 */
export const LIMITS = { postings: 1500, perAddress: 64, ranked: 128, comparisons: 256 };

/** Statuses a new post may be compared with: open ones (merge) and answered/closed ones (repeat). */
export const WATCHED: readonly Status[] = [...OPEN_STATUSES, 'answered', 'closed'];

/** Stem → ordinals of the entries holding it, oldest first. */
type Postings = Map<string, number[]>;

/**
 * Incidents in memory with an inverted index (stem → incidents) and address
 * lists (street + house, street + topic), so a new post is compared only with
 * the few incidents it could be a duplicate of.
 *
 * Why the candidates are complete for the text rules: a duplicate by text shares
 * at least `need` stems with the post (4 for the overlap rule, threshold × size
 * for the Jaccard rule), so it holds at least one of any `size − need + 1` of the
 * post's stems (pigeonhole); we read the postings of the rarest ones. The address
 * rule's candidates come from the address lists. Among the candidates that match,
 * the best is the one the linear scan chose: open over answered, then the newest.
 */
export function createDedupeMemory(opts: { threshold: number; windowMs: number }) {
  // Entries by ordinal; postings hold ordinals, and shared stems are counted in
  // typed arrays stamped per search, so a search allocates almost nothing.
  let entries: DedupeEntry[] = [];
  const buckets = new Map<string, Postings>();
  const addresses = new Map<string, number[]>();
  // True while ordinals follow the search's preference among equals (detected time, then id): then the
  // newest candidate that matches is the answer, and a search stops at the first open one.
  let monotone = true;
  let counts = new Uint16Array(1024);
  let stamps = new Uint32Array(1024);
  let epoch = 0;

  const push = <T>(m: Map<string, T[]>, key: string, v: T) => {
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  };

  /** Stems to probe (their postings in the query's buckets), rarest first, by the pigeonhole bound. */
  function probeStems(fp: Fingerprint): Array<{ lists: number[][]; n: number }> {
    const size = fp.stems.size;
    const need = Math.max(1, Math.min(4, Math.ceil(opts.threshold * size - 1e-9)));
    const read = queryBuckets(fp).map((k) => buckets.get(k)).filter((b): b is Postings => b !== undefined);
    const present: Array<{ lists: number[][]; n: number }> = [];
    for (const s of fp.stems) {
      const lists: number[][] = [];
      let n = 0;
      for (const b of read) {
        const l = b.get(s);
        if (l) lists.push(l), (n += l.length);
      }
      if (n) present.push({ lists, n });
    }
    present.sort((a, b) => a.n - b.n);
    // Stems no incident has cannot be shared, so they count toward the pigeonhole too.
    present.length = Math.max(0, size - need + 1 - (size - present.length));
    return present;
  }

  /** Counts one shared stem for each ordinal. */
  function tally(ordinals: readonly number[], touched: number[]): void {
    for (const o of ordinals) {
      if (stamps[o] === epoch) counts[o]!++;
      else (stamps[o] = epoch), (counts[o] = 1), touched.push(o);
    }
  }

  /** Incidents sharing enough probed stems to possibly match; newest postings first when the budget runs out. */
  function textCandidates(fp: Fingerprint, out: Set<DedupeEntry>): void {
    const probe = probeStems(fp);
    if (++epoch === 0xffffffff) (stamps.fill(0), (epoch = 1));
    const touched: number[] = [];
    let budget = LIMITS.postings;
    let complete = 0;
    for (const { lists, n } of probe) {
      if (n <= budget) {
        for (const l of lists) tally(l, touched);
        complete++;
      } else {
        tally(lists.map((l) => l.slice(-budget)).flat().sort((a, b) => b - a).slice(0, budget), touched);
      }
      budget -= Math.min(n, budget);
      if (budget <= 0) break;
    }
    // A candidate can share at most what we saw plus every stem whose postings we did not read fully;
    // one naming another place can never match. Of many, those sharing the most stems are kept (newest first on ties).
    const unseen = fp.stems.size - complete;
    const kept = touched.filter((o) => counts[o]! + unseen >= pairNeed(fp.stems.size, entries[o]!.stems.size) && !addressesDiffer(fp, entries[o]!));
    for (const o of kept.length > LIMITS.ranked ? mostShared(kept) : kept) out.add(entries[o]!);
  }

  /**
   * The LIMITS.ranked ordinals sharing the most stems, newest first on ties: the order of
   * sorting by (count, ordinal) descending, by buckets of count (a few small integers)
   * so that only the ties at the cut are sorted.
   */
  function mostShared(kept: number[]): number[] {
    const byCount: number[][] = [];
    for (const o of kept) (byCount[counts[o]!] ??= []).push(o);
    const top: number[] = [];
    for (let c = byCount.length - 1; c >= 0 && top.length < LIMITS.ranked; c--) {
      const tied = byCount[c];
      if (tied) top.push(...tied.sort((a, b) => b - a).slice(0, LIMITS.ranked - top.length));
    }
    return top;
  }

  /** The fewest common stems with which either text rule can hold for these sizes. */
  function pairNeed(a: number, b: number): number {
    const overlapRule = Math.max(4, Math.ceil(0.7 * Math.min(a, b) - 1e-9));
    const jaccardRule = Math.ceil((opts.threshold * (a + b)) / (1 + opts.threshold) - 1e-9);
    return Math.max(1, Math.min(overlapRule, jaccardRule));
  }

  /** The address lists a post's place reads: same house (any compatible topic); or, with the same topic, the same street where one side names no house. */
  function addressLists(fp: Fingerprint, topic: string | null): number[][] {
    const lists: number[][] = [];
    for (const k of queryAddressKeys(fp, topic)) {
      const l = addresses.get(k);
      if (l) lists.push(l);
    }
    return lists;
  }

  function addressCandidates(fp: Fingerprint, topic: string | null, out: Set<DedupeEntry>): void {
    for (const list of addressLists(fp, topic)) {
      for (let i = list.length - 1, taken = 0; i >= 0 && taken < LIMITS.perAddress; i--, taken++) out.add(entries[list[i]!]!);
    }
  }

  /**
   * The search when ordinals are in preference order: candidates newest first, the
   * first open match is the answer (an answered one only while no open one turns up);
   * one older than the window ends the walk, so the work follows the recent matches,
   * not the number of incidents held.
   */
  function findNewestFirst(fp: Fingerprint, topic: string | null, now: Date): DedupeEntry | null {
    const probe = probeStems(fp);
    const size = fp.stems.size;
    const unseen = size - probe.length;
    const since = now.getTime() - opts.windowMs;
    const query = { ...fp, topic };
    let answered: DedupeEntry | null = null;
    let open: DedupeEntry | null = null;
    let compared = 0;
    let cut = false;
    const ended = walkNewestFirst(probe.flatMap((p) => p.lists), addressLists(fp, topic), { perAddress: LIMITS.perAddress, budget: LIMITS.postings }, (o, shared, byAddress) => {
      const e = entries[o]!;
      if (e.detectedAt.getTime() < since) return true;
      if (!WATCHED.includes(e.status) || (answered && !isOpen(e.status))) return false;
      if (!byAddress && shared + unseen < pairNeed(size, e.stems.size)) return false;
      if (addressesDiffer(fp, e)) return false;
      if (++compared > LIMITS.comparisons) return (cut = true);
      if (!isNearDuplicate(query, e, opts.threshold)) return false;
      if (!isOpen(e.status)) return (answered = e), false;
      return (open = e), true;
    });
    // Cut short by a bound before an open match: the search by most shared stems decides, as it did before.
    return open ?? (cut || !ended ? findByShared(fp, topic, now) : answered);
  }

  /** The search by most shared stems, candidates sorted by preference (any ordinal order). */
  function findByShared(fp: Fingerprint, topic: string | null, now: Date): DedupeEntry | null {
    const candidates = new Set<DedupeEntry>();
    textCandidates(fp, candidates);
    addressCandidates(fp, topic, candidates);
    const since = now.getTime() - opts.windowMs;
    const query = { ...fp, topic };
    // Open before answered/closed, then the newest: the order the linear scan preferred (keys read once per candidate).
    const ordered: Array<{ e: DedupeEntry; open: number; t: number }> = [];
    for (const e of candidates) {
      const t = e.detectedAt.getTime();
      if (t >= since && WATCHED.includes(e.status)) ordered.push({ e, open: Number(isOpen(e.status)), t });
    }
    ordered.sort((a, b) => b.open - a.open || b.t - a.t || b.e.id - a.e.id);
    const n = Math.min(ordered.length, LIMITS.comparisons);
    for (let i = 0; i < n; i++) if (isNearDuplicate(query, ordered[i]!.e, opts.threshold)) return ordered[i]!.e;
    return null;
  }

  return {
    add(e: DedupeEntry): void {
      const ord = entries.length;
      entries.push(e);
      if (ord >= counts.length) {
        const c = new Uint16Array(counts.length * 2);
        c.set(counts);
        counts = c;
        const st = new Uint32Array(stamps.length * 2);
        st.set(stamps);
        stamps = st;
      }
      for (const key of entryBuckets(e)) {
        let b = buckets.get(key);
        if (!b) buckets.set(key, (b = new Map()));
        for (const s of e.stems) push(b, s, ord);
      }
      for (const key of entryAddressKeys(e, e.topic)) push(addresses, key, ord);
      const prev = entries[ord - 1];
      if (prev && (e.detectedAt.getTime() - prev.detectedAt.getTime() || e.id - prev.id) < 0) monotone = false;
    },
    clear(): void {
      entries = [];
      monotone = true;
      buckets.clear();
      addresses.clear();
    },
    get size(): number {
      return entries.length;
    },
    /** The incident this fingerprint duplicates, or null; at most LIMITS.comparisons full comparisons. */
    find(fp: Fingerprint, topic: string | null, now: Date): DedupeEntry | null {
      return monotone ? findNewestFirst(fp, topic, now) : findByShared(fp, topic, now);
    },
  };
}

export type DedupeMemory = ReturnType<typeof createDedupeMemory>;
