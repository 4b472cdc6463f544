/**
 * Hostile input corpus, part 3: files people hand to otklik. CSV and JSONL feeds through the
 * file adapter, CSV and XLSX labelled history through the reader of `train`/`eval`, and YAML
 * installation configs through the loader. Each case asserts what is read, or that it is
 * refused with a one-line reason (the line, the column, the key) — quickly, without a crash.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileAdapter } from '../../adapters/file/index.js';
import { readLabelledFile } from '../../src/classify/tabular.js';
import { ConfigError } from '../../src/config/config-error.js';
import { loadInstallation } from '../../src/config/installation.js';
import { SourceError, type PollResult } from '../../src/domain/source.js';
import { EXAMPLE_CONFIG } from '../helpers/app.js';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'otklik-hostile-files-'))));

const cp1251 = (s: string) => Buffer.from(encode1251(s));
/** Windows-1251 bytes of a Russian string (the encoder Node lacks). */
function encode1251(s: string): number[] {
  const table = new TextDecoder('windows-1251').decode(new Uint8Array(256).map((_, i) => i));
  return [...s].map((ch) => {
    const i = table.indexOf(ch);
    if (i < 0) throw new Error(`not in cp1251: ${ch}`);
    return i;
  });
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function poll(kind: 'csv' | 'jsonl', name: string, content: string | Buffer): Promise<PollResult> {
  const path = file(name, content);
  return createFileAdapter().poll({ id: 1, channel: 'file', kind, reference: path, options: {} }, null);
}

async function refusal(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(() => null, (e: Error) => e);
  expect(err, 'refused').toBeInstanceOf(Error);
  expect(err!.message).not.toContain('\n');
  return err!;
}

const BIG = 'ж'.repeat(10 * 1024 * 1024);

describe('feeds: CSV', () => {
  const cases: Array<[string, () => Promise<void>]> = [
    ['UTF-8 with a BOM: the first column is still "text"', async () => {
      const r = await poll('csv', 'bom.csv', '\ufefftext,external_id\nНет воды,a1\n');
      expect(r.posts.map((p) => [p.externalId, p.text])).toEqual([['a1', 'Нет воды']]);
    }],
    ['Windows-1251 is decoded, not stored as mojibake', async () => {
      const r = await poll('csv', 'cp1251.csv', cp1251('text;external_id\r\nЯма на улице Ленина;b1\r\n'));
      expect(r.posts.map((p) => p.text)).toEqual(['Яма на улице Ленина']);
    }],
    ['CRLF line ends leave no \\r in the text', async () => {
      const r = await poll('csv', 'crlf.csv', 'text,external_id\r\nСтрока один,c1\r\nСтрока два,c2\r\n');
      expect(r.posts.map((p) => p.text)).toEqual(['Строка один', 'Строка два']);
    }],
    ['semicolons (Excel in Russia) work like commas', async () => {
      const r = await poll('csv', 'semi.csv', 'external_id;text\nd1;Текст, с запятой\n');
      expect(r.posts.map((p) => p.text)).toEqual(['Текст, с запятой']);
    }],
    ['a 10 MB field: that record is refused by line, the others are read', async () => {
      const r = await poll('csv', 'big.csv', `text,external_id\nдо,e1\n"${BIG}",e2\nпосле,e3\n`);
      expect(r.posts.map((p) => p.externalId)).toEqual(['e1', 'e3']);
      expect(r.refused).toHaveLength(1);
      expect(r.refused![0]).toMatch(/big\.csv:\d+: запись длиннее/);
      expect(r.cursor).toBe('3');
    }],
    ['no text column: the file is refused naming the columns it has', async () => {
      const err = await refusal(poll('csv', 'cols.csv', 'Текст инцидента,Тема\nЯма,Дороги\n'));
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).kind).toBe('broken');
      expect(err.message).toMatch(/нет столбца text \(столбцы: Текст инцидента, Тема\)/);
    }],
    ['a row with more cells than the header is read', async () => {
      const r = await poll('csv', 'extra.csv', 'text,external_id\nЛишние ячейки,f1,x,y\n');
      expect(r.posts.map((p) => p.externalId)).toEqual(['f1']);
    }],
    ['an unclosed quote: what precedes it is read, nothing crashes', async () => {
      const r = await poll('csv', 'quote.csv', 'text,external_id\nхорошая,g1\n"оборванная,g2\n').catch((e: Error) => e);
      if (r instanceof Error) expect(r.message).toMatch(/quote\.csv/);
      else expect(r.posts.map((p) => p.externalId)).toContain('g1');
    }],
    ['an empty file and a header-only file give nothing and no error', async () => {
      expect((await poll('csv', 'empty.csv', '')).posts).toEqual([]);
      expect((await poll('csv', 'header.csv', 'text,external_id\n')).posts).toEqual([]);
    }],
  ];
  it.each(cases)('%s', async (_n, run) => run());
});

describe('feeds: JSONL', () => {
  const line = (id: string, text: string) => JSON.stringify({ external_id: id, text, published_at: '2026-11-16T08:00:00Z' });
  const cases: Array<[string, () => Promise<void>]> = [
    ['a BOM before the first line', async () => {
      const r = await poll('jsonl', 'bom.jsonl', `\ufeff${line('h1', 'Первая')}\n${line('h2', 'Вторая')}\n`);
      expect(r.posts.map((p) => p.externalId)).toEqual(['h1', 'h2']);
    }],
    ['Windows-1251 bytes', async () => {
      const r = await poll('jsonl', 'cp.jsonl', cp1251(`${line('i1', 'Нет отопления')}\n`));
      expect(r.posts.map((p) => p.text)).toEqual(['Нет отопления']);
    }],
    ['CRLF line ends', async () => {
      const r = await poll('jsonl', 'crlf.jsonl', `${line('j1', 'Раз')}\r\n${line('j2', 'Два')}\r\n`);
      expect(r.posts.map((p) => p.text)).toEqual(['Раз', 'Два']);
    }],
    ['a 10 MB line is refused by line number; the next is read', async () => {
      const r = await poll('jsonl', 'big.jsonl', `${line('k1', BIG)}\n${line('k2', 'после')}\n`);
      expect(r.posts.map((p) => p.externalId)).toEqual(['k2']);
      expect(r.refused![0]).toMatch(/big\.jsonl:1: строка длиннее/);
    }],
    ['a file that grows after a broken line is read on from the cursor', async () => {
      const path = file('grow.jsonl', `${line('l1', 'раз')}\n{oops\n`);
      const adapter = createFileAdapter();
      const src = { id: 1, channel: 'file' as const, kind: 'jsonl', reference: path, options: {} };
      const first = await adapter.poll(src, null);
      writeFileSync(path, `${line('l1', 'раз')}\n{oops\n${line('l2', 'два')}\n`);
      const second = await adapter.poll(src, first.cursor);
      expect([first.posts.map((p) => p.externalId), first.refused?.length, second.posts.map((p) => p.externalId)]).toEqual([['l1'], 1, ['l2']]);
    }],
  ];
  it.each(cases)('%s', async (_n, run) => run());
});

describe('labelled history: CSV and XLSX for train / eval', () => {
  async function xlsx(name: string, rows: string[][]): Promise<string> {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Лист1');
    rows.forEach((r) => sheet.addRow(r));
    const path = join(dir, name);
    await wb.xlsx.writeFile(path);
    return path;
  }
  const cases: Array<[string, () => Promise<void>]> = [
    ['an incumbent-style XLSX with Russian column names', async () => {
      const path = await xlsx('export.xlsx', [['Текст инцидента', 'Тема'], ['Яма на дороге', 'Дороги'], ['Нет воды', 'ЖКХ']]);
      const s = await readLabelledFile(path, { text: 'Текст инцидента', topic: 'Тема' });
      expect(s.map((x) => [x.text, x.topic])).toEqual([['Яма на дороге', 'Дороги'], ['Нет воды', 'ЖКХ']]);
    }],
    ['an XLSX without the text column is refused naming its columns', async () => {
      const path = await xlsx('wrong.xlsx', [['Описание', 'Тема'], ['Яма', 'Дороги']]);
      const err = await refusal(readLabelledFile(path));
      expect(err.message).toMatch(/no column "text" \(columns: Описание, Тема\)/);
    }],
    ['a file named .xlsx that is not one is refused, not hung on', async () => {
      const path = file('fake.xlsx', 'text,topic\nэто не xlsx,x\n');
      await refusal(readLabelledFile(path));
    }],
    ['a Windows-1251 CSV with a BOM-less semicolon header', async () => {
      const path = file('hist1251.csv', cp1251('text;topic\r\nНе вывозят мусор;ЖКХ\r\n'));
      expect((await readLabelledFile(path)).map((s) => [s.text, s.topic])).toEqual([['Не вывозят мусор', 'ЖКХ']]);
    }],
    ['a UTF-8 CSV with a BOM and CRLF', async () => {
      const path = file('histbom.csv', '\ufefftext,topic\r\nНет света,Электричество\r\n');
      expect((await readLabelledFile(path)).map((s) => [s.text, s.topic])).toEqual([['Нет света', 'Электричество']]);
    }],
  ];
  it.each(cases)('%s', async (_n, run) => run());
});

describe('installation config: YAML', () => {
  const base = () => readFileSync(EXAMPLE_CONFIG, 'utf8');
  async function configError(name: string, content: string): Promise<string> {
    const path = file(name, content);
    const started = process.hrtime.bigint();
    let err: unknown;
    try {
      loadInstallation(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('\n');
    // Refused before any expansion work: well under the test budget even on a busy machine.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
    return (err as Error).message;
  }
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
  const cases: Array<[string, () => Promise<void>]> = [
    ['billion laughs (anchors that expand) is refused by the alias limit', async () => expect(await configError('laughs.yaml', `${laughs}\n`)).toMatch(/not valid YAML: .*alias/i)],
    ['a duplicate key is refused, naming it', async () => expect(await configError('dup.yaml', `${base()}\ntimezone: Europe/Samara\n`)).toMatch(/not valid YAML: .*unique/i)],
    ['a 50 MB file is refused by size before parsing', async () => expect(await configError('huge.yaml', `${base()}\n# ${'x'.repeat(50 * 1024 * 1024)}\n`)).toMatch(/larger than 5 MB/)],
    ['a list instead of a mapping is refused', async () => expect(await configError('list.yaml', '- a\n- b\n')).toMatch(/list\.yaml/)],
    ['a JS function tag is not executed: refused as invalid', async () => expect(await configError('tag.yaml', `${base()}\nx: !!js/function "function(){ process.exit(1) }"\n`)).toMatch(/tag\.yaml/)],
    ['nesting 100,000 levels deep is refused, not a stack overflow', async () => expect(await configError('deep.yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).toMatch(/deep\.yaml/)],
  ];
  it.each(cases)('%s', async (_n, run) => run());
});

