/**
 * The columns of an «Инцидент Менеджмент» export, by field. Matched by name,
 * case-insensitively (ё = е, spaces collapsed); a field may go by several names.
 * Unknown columns are ignored.
 */
export const IM_COLUMNS = {
  number: ['Номер инцидента'],
  created: ['Дата создания'],
  closed: ['Дата закрытия'],
  firstAnswer: ['Время первого ответа', 'Дата первого ответа'],
  group: ['Группа тем'],
  topic: ['Тема'],
  executors: ['Исполнитель', 'Исполнители'],
  region: ['Регион'],
  municipality: ['Муниципалитет'],
  settlement: ['Населённый пункт'],
  street: ['Улица'],
  house: ['Дом'],
  url: ['Ссылка'],
  source: ['Источник'],
  text: ['Текст инцидента'],
  status: ['Статус'],
  outcome: ['Результат'],
} as const;
export type ImField = keyof typeof IM_COLUMNS;

/** The header each field is written under on export (the first name). */
export const IM_HEADERS = Object.fromEntries(Object.entries(IM_COLUMNS).map(([k, v]) => [k, v[0]])) as Record<ImField, string>;

const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

/** Maps a file's header names to fields; returns the field → header pairs found. */
export function matchColumns(headers: string[]): Partial<Record<ImField, string>> {
  const byNorm = new Map(headers.map((h) => [norm(h), h]));
  const found: Partial<Record<ImField, string>> = {};
  for (const [field, names] of Object.entries(IM_COLUMNS) as Array<[ImField, readonly string[]]>) {
    const hit = names.map((n) => byNorm.get(norm(n))).find((h) => h !== undefined);
    if (hit !== undefined) found[field] = hit;
  }
  return found;
}
