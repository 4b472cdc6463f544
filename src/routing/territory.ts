import type { Installation, PlaceConfig } from '../config/installation.js';
import { words } from '../pipeline/normalize.js';

/** Places found in a text by the installation's gazetteer. */
export interface TerritoryMatch {
  district: PlaceConfig | null;
  settlement: PlaceConfig | null;
  street: string | null;
}

export interface Gazetteer {
  find(text: string): TerritoryMatch;
  /** True when the text names the territory (for search sources) and no stop-word. */
  isRelevant(text: string): boolean;
}

const stem = (s: string) => s.toLowerCase().replace(/ё/g, 'е').trim();

/** A place matches when some word of the text starts with one of its stems (catches inflections). */
function compilePlace(p: PlaceConfig): { place: PlaceConfig; stems: string[] } {
  const base = stem(p.name);
  // "Сеймский" → also "сеймск" so "в Сеймском округе" matches.
  const auto = base.length > 6 ? [base.slice(0, base.length - 2)] : [base];
  return { place: p, stems: [...new Set([...auto, ...p.aliases.map(stem)])].filter((s) => s.length >= 3) };
}

function matchesStem(ws: string[], stems: string[]): boolean {
  return stems.some((s) => (s.includes(' ') ? ws.join(' ').includes(s) : ws.some((w) => w.startsWith(s))));
}

export function createGazetteer(territory: Installation['territory']): Gazetteer {
  const districts = territory.districts.map(compilePlace);
  const settlements = territory.settlements.map(compilePlace);
  const streets = territory.streets.map((s) => ({ name: s, stems: words(s).filter((w) => w.length >= 4) }));
  const places = territory.places.map(stem);
  const stops = territory.stop_words.map(stem);
  return {
    find(text) {
      const ws = words(text);
      const joined = ws.join(' ');
      const district = districts.find((d) => matchesStem(ws, d.stems))?.place ?? null;
      const settlement = settlements.find((d) => matchesStem(ws, d.stems))?.place ?? null;
      const street =
        streets.find((s) => s.stems.length > 0 && s.stems.every((st) => joined.includes(st.slice(0, Math.max(4, st.length - 2)))))
          ?.name ?? null;
      return { district, settlement, street };
    },
    isRelevant(text) {
      const joined = words(text).join(' ');
      if (stops.some((s) => joined.includes(s))) return false;
      return places.length === 0 || places.some((p) => joined.includes(p));
    },
  };
}

/** "Сеймский, ул. Ленина" — what reports and cards show as the incident's territory. */
export function territoryLabel(m: TerritoryMatch): string | null {
  const parts = [m.district?.name, m.settlement?.name, m.street].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}
