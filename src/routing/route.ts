import type { Installation } from '../config/installation.js';
import { words } from '../pipeline/normalize.js';
import type { TerritoryMatch } from './territory.js';

export interface RouteInput {
  text: string;
  topic: string | null;
  /** Department suggested by the classifier, if any. */
  suggested?: string | null;
  territory: TerritoryMatch;
}

export interface RouteDecision {
  department: string;
  /** One line for moderators: «Комитет ЖКХ: тема «Отопление», район Сеймский». */
  reason: string;
}

/**
 * Decides the department. Order: explicit routing rules (topic/group/territory/keywords,
 * first match wins) → the topic's department → the classifier's suggestion →
 * the district's or settlement's department → the default. Pure.
 */
export function route(cfg: Installation, input: RouteInput): RouteDecision {
  const topic = input.topic ? cfg.topics.find((t) => t.name === input.topic) : undefined;
  const ws = words(input.text).join(' ');
  const where = territoryPart(input.territory);
  const name = (code: string) => cfg.departments.find((d) => d.code === code)?.name ?? code;
  const because = (code: string, why: string) => ({ department: code, reason: `${name(code)}: ${why}` });

  for (const rule of cfg.routing) {
    const w = rule.when;
    if (w.topic && w.topic !== input.topic) continue;
    if (w.group && w.group !== topic?.group) continue;
    if (w.district && w.district !== input.territory.district?.name) continue;
    if (w.settlement && w.settlement !== input.territory.settlement?.name) continue;
    if (w.keywords && !w.keywords.some((k) => ws.includes(k.toLowerCase()))) continue;
    const parts = [
      rule.name ? `правило «${rule.name}»` : 'правило маршрутизации',
      w.topic || w.group ? `тема «${input.topic ?? w.group}»` : null,
      w.keywords ? `слова «${w.keywords.join('», «')}»` : null,
      where,
    ];
    return because(rule.department, parts.filter(Boolean).join(', '));
  }
  if (topic?.department) return because(topic.department, [`тема «${topic.name}»`, where].filter(Boolean).join(', '));
  if (input.suggested && cfg.departments.some((d) => d.code === input.suggested)) {
    return because(input.suggested, ['по истории похожих обращений', where].filter(Boolean).join(', '));
  }
  const place = input.territory.settlement?.department ? input.territory.settlement : input.territory.district;
  if (place?.department) return because(place.department, `территория «${place.name}»`);
  return because(cfg.default_department, input.topic ? `тема «${input.topic}» без исполнителя, по умолчанию` : 'тема не определена, по умолчанию');
}

function territoryPart(t: TerritoryMatch): string | null {
  if (t.district) return `район ${t.district.name}`;
  if (t.settlement) return `населённый пункт ${t.settlement.name}`;
  return null;
}
