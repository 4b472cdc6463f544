import { describe, expect, it } from 'vitest';
import { route } from '../../src/routing/route.js';
import { createGazetteer, territoryLabel } from '../../src/routing/territory.js';
import { testInstallation } from '../helpers/app.js';

const cfg = testInstallation();
const gazetteer = createGazetteer(cfg.territory);
const HEATING = 'Ненадлежащее качество или отсутствие отопления';
const improvementTopic = cfg.topics.find((t) => t.group === 'Благоустройство')!.name;

describe('route', () => {
  it.each([
    ['topic department', 'В квартире холодно, батареи еле тёплые', HEATING, null, 'housing', /тема «Ненадлежащее качество или отсутствие отопления»/],
    ['topic with district', 'Сеймский округ: батареи холодные', HEATING, null, 'housing', /район Сеймский/],
    ['keyword rule beats topic', 'В подъезде сильный запах газа, батареи холодные', HEATING, null, 'civil_defense', /правило «Запах газа/],
    ['district rule for a group', 'В Сеймском округе сломали лавочки во дворе', improvementTopic, null, 'adm_seym', /Благоустройство в Сеймском/],
    ['classifier suggestion without topic', 'что-то непонятное', null, 'roads', 'roads', /по истории похожих обращений/],
    ['unknown suggestion ignored', 'что-то непонятное', null, 'nope', 'general', /по умолчанию/],
    ['district administration when nothing else', 'В Железнодорожном округе непонятно что', null, null, 'adm_railway', /территория «Железнодорожный»/],
    ['default', 'просто текст', null, null, 'general', /тема не определена, по умолчанию/],
  ])('%s', (_name, text, topic, suggested, department, reason) => {
    const d = route(cfg, { text, topic, suggested, territory: gazetteer.find(text) });
    expect(d.department).toBe(department);
    expect(d.reason).toMatch(reason);
    expect(d.reason).not.toContain('\n');
  });
});

describe('gazetteer', () => {
  it.each([
    ['в Сеймском округе на ул. Энгельса', 'Сеймский', null, 'Энгельса'],
    ['Косиново, дорога разбита', null, 'Косиново', null],
    ['у дома на Карла Маркса 12', null, null, 'Карла Маркса'],
    ['ничего про место', null, null, null],
  ])('%s', (text, district, settlement, street) => {
    const m = gazetteer.find(text);
    expect(m.district?.name ?? null).toBe(district);
    expect(m.settlement?.name ?? null).toBe(settlement);
    expect(m.street).toBe(street);
  });

  it('labels the territory in one line', () => {
    expect(territoryLabel(gazetteer.find('Сеймский округ, ул. Энгельса 5'))).toBe('Сеймский, Энгельса');
    expect(territoryLabel(gazetteer.find('где-то'))).toBeNull();
  });

  it('relevance: place names count, stop-words exclude', () => {
    expect(gazetteer.isRelevant('В Курске опять яма')).toBe(true);
    expect(gazetteer.isRelevant('Опять яма')).toBe(false);
    expect(gazetteer.isRelevant('Курский вокзал в Москве закрыт')).toBe(false);
  });
});
