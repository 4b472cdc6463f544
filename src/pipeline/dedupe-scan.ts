/**
 * Walks candidate ordinals newest first: a merge of ordinal lists (each oldest
 * first, as the index appends them) read from their ends. Each ordinal is visited
 * once, with how many of the stem lists hold it and whether an address list does;
 * the visit returns true to stop. Address lists are read down to their newest
 * `perAddress` entries only; at most `budget` postings are read in all. Returns
 * true when the lists ran out or the visit stopped it, false when the budget did.
 */
export function walkNewestFirst(
  stemLists: readonly number[][],
  addressLists: readonly number[][],
  limits: { perAddress: number; budget: number },
  visit: (ordinal: number, shared: number, byAddress: boolean) => boolean,
): boolean {
  const lists = [...stemLists, ...addressLists];
  const pos = lists.map((l) => l.length - 1);
  const low = lists.map((l, i) => (i < stemLists.length ? 0 : Math.max(0, l.length - limits.perAddress)));
  for (let read = 0; read < limits.budget; ) {
    let o = -1;
    for (let i = 0; i < lists.length; i++) if (pos[i]! >= low[i]! && lists[i]![pos[i]!]! > o) o = lists[i]![pos[i]!]!;
    if (o < 0) return true;
    let shared = 0;
    let byAddress = false;
    for (let i = 0; i < lists.length; i++) {
      if (pos[i]! < low[i]! || lists[i]![pos[i]!] !== o) continue;
      pos[i]!--;
      read++;
      if (i < stemLists.length) shared++;
      else byAddress = true;
    }
    if (visit(o, shared, byAddress)) return true;
  }
  return false;
}
