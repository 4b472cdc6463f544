import { describe, expect, it } from 'vitest';
import { createRulesClassifier, kindOf } from '../../src/classify/rules.js';
import { normalizeText } from '../../src/classify/normalize.js';
import { testInstallation } from './fixtures.js';

describe('kindOf', () => {
  it.each([
    ['Спасибо коммунальщикам, двор убрали быстро!', 'thanks'],
    ['Выражаю благодарность водителю автобуса', 'thanks'],
    ['Когда отремонтируют дорогу на улице Лесной?', 'question'],
    ['Подскажите, куда обращаться по поводу света в подъезде', 'question'],
    ['Прошу убрать контейнеры от подъезда', 'request'],
    ['Помогите, в квартире нет отопления уже неделю', 'request'],
    ['Предлагаю поставить скамейки у пруда', 'suggestion'],
    ['Было бы хорошо сделать велодорожку вдоль реки', 'suggestion'],
    ['Купить диван со скидкой 50%, промокод ЛЕТО', 'noise'],
    ['Подписывайтесь на наш канал', 'noise'],
    ['https://example.com/page', 'noise'],
    ['В субботу состоится концерт на главной площади', 'noise'],
    ['Хорошая погода сегодня', 'noise'],
    ['Во дворе огромная яма, машины ломаются', 'complaint'],
    ['Мусор не вывозят третью неделю', 'complaint'],
  ])('%s → %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });

  it('a text with a topic hit and no lexicon words is a complaint', () => {
    expect(kindOf('Асфальт на Садовой', true)).toBe('complaint');
    expect(kindOf('Асфальт на Садовой', false)).toBe('noise');
  });
});

describe('createRulesClassifier', () => {
  const rules = createRulesClassifier(testInstallation());

  it.each([
    ['На дороге яма, асфальт разбит', 'Ямы на дорогах', 'roads'],
    ['В квартире холодные батареи, отопления нет', 'Отопление', 'housing'],
    ['Автобус 12 маршрута не пришёл на остановку', 'Общественный транспорт', 'transport'],
    ['Контейнеры переполнены, мусор лежит на земле', 'Вывоз мусора', 'clean'],
  ])('%s → %s / %s', async (text, topic, department) => {
    const c = await rules.classify(text);
    expect(c).toMatchObject({ topic, department, by: 'rules', needsReview: false });
    expect(c.confidence).toBeLessThanOrEqual(0.6);
    expect(c.explanation).toContain(topic);
  });

  it('no keyword: unknown topic, needs review', async () => {
    const c = await rules.classify('Во дворе сломаны качели');
    expect(c).toMatchObject({ topic: null, department: null, kind: 'complaint', needsReview: true });
  });

  it('ties go to the earlier topic', async () => {
    const c = await rules.classify('мусор на дороге');
    expect(c.topic).toBe('Ямы на дорогах');
  });

  it('never throws on odd input', async () => {
    for (const t of ['', '   ', '<p>&nbsp;</p>', '???', '😀'.repeat(50)]) {
      await expect(rules.classify(t)).resolves.toMatchObject({ by: 'rules' });
    }
  });
});

describe('normalizeText', () => {
  it('strips tags and entities, lowercases, folds ё', () => {
    expect(normalizeText('<p>Ёлка&nbsp;во&nbsp;ДВОРЕ&#33;</p>')).toBe('елка во дворе!');
  });
});
