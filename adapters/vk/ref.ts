import { SourceError } from '../../src/domain/source.js';

/** How wall.get addresses a wall: a numeric owner or a screen name. */
export type WallOwner = { owner_id: number } | { domain: string };

/**
 * A community reference from the config → wall.get address. Accepts `-123`,
 * `123` (communities are negative owners), `club123` / `public123`, a screen
 * name, or a vk.com / vk.ru link to any of these.
 */
export function parseCommunityRef(reference: string): WallOwner {
  const ref = reference.trim().replace(/^https?:\/\/(m\.)?vk\.(com|ru)\//i, '').replace(/^@/, '').replace(/\/+$/, '');
  const numeric = /^-?(\d+)$/.exec(ref) ?? /^(?:club|public|event)(\d+)$/i.exec(ref);
  if (numeric) return { owner_id: -Number(numeric[1]) };
  if (/^[A-Za-z0-9_.]{2,}$/.test(ref)) return { domain: ref };
  throw new SourceError('broken', `"${reference}" is not a VK community id or screen name`, { code: 'bad_reference' });
}

/** Numeric community id (positive) from a reference, for group-token sources. */
export function parseGroupId(reference: string, fallback?: number): number {
  const owner = reference.trim() ? parseCommunityRef(reference) : null;
  if (owner && 'owner_id' in owner) return -owner.owner_id;
  if (fallback) return fallback;
  throw new SourceError('broken', `VK source "${reference}" needs a numeric community id (or set the adapter's groupId)`, { code: 'bad_reference' });
}

/** Parses a stored JSON cursor; a corrupt one is treated as "never polled" rather than breaking the source. */
export function readCursor<T extends object>(cursor: string | null): T | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(cursor) as unknown;
    return v && typeof v === 'object' ? (v as T) : null;
  } catch {
    return null;
  }
}

export function numberOption(options: Record<string, unknown>, key: string, dflt: number, min: number, max: number): number {
  const v = Number(options[key] ?? dflt);
  return Number.isFinite(v) ? Math.min(max, Math.max(min, Math.trunc(v))) : dflt;
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}
