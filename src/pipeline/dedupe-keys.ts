import type { Fingerprint } from './dedupe.js';

/**
 * The keys under which the near-duplicate index (dedupe-candidates.ts) files an
 * incident, and those a new post reads: both sides are written here, so they agree.
 */
const SEP = '\u0001';

/**
 * The place buckets an entry's stems are indexed under: all ('*'), and its place
 * (street + house, street, settlement, none), so a post naming a place reads only
 * the postings of entries whose place does not differ from its own (addressesDiffer).
 */
export function entryBuckets(e: Fingerprint): string[] {
  if (!e.street) return ['*', e.settlement ? `p${SEP}${e.settlement}` : '-'];
  return ['*', `s${SEP}${e.street}${SEP}${e.house ?? ''}`, `t${SEP}${e.street}`, ...(e.settlement ? [`q${SEP}${e.settlement}`] : [])];
}

/** The buckets holding every entry a post with this place may match (a superset: addressesDiffer still filters). */
export function queryBuckets(fp: Fingerprint): string[] {
  const near = ['-', ...(fp.settlement ? [`p${SEP}${fp.settlement}`] : [])];
  if (fp.street) return [...(fp.house ? [`s${SEP}${fp.street}${SEP}${fp.house}`, `s${SEP}${fp.street}${SEP}`] : [`t${SEP}${fp.street}`]), ...near];
  if (fp.settlement) return [...near, `q${SEP}${fp.settlement}`];
  return ['*'];
}

/** The address lists an incident is filed under: its house; its street + topic; and street + topic again when it names no house. */
export function entryAddressKeys(e: Fingerprint, topic: string | null): string[] {
  if (!e.street) return [];
  return [
    ...(e.house ? [`h${SEP}${e.street}${SEP}${e.house}`] : []),
    ...(topic ? [`t${SEP}${e.street}${SEP}${topic}`] : []),
    ...(topic && !e.house ? [`n${SEP}${e.street}${SEP}${topic}`] : []),
  ];
}

/** The address lists a post's place reads: same house (any compatible topic); or, with the same topic, the same street where one side names no house. */
export function queryAddressKeys(fp: Fingerprint, topic: string | null): string[] {
  if (!fp.street) return [];
  if (fp.house) return [`h${SEP}${fp.street}${SEP}${fp.house}`, ...(topic ? [`n${SEP}${fp.street}${SEP}${topic}`] : [])];
  return topic ? [`t${SEP}${fp.street}${SEP}${topic}`] : [];
}
