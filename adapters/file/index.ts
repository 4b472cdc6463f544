import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CHANNELS, type Channel, type PostKind, type RawPost } from '../../src/domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../../src/domain/source.js';

/**
 * Reads posts from a JSONL or CSV file (imports, the demo). The cursor is the
 * number of records already handed out, so a file that grows is read on.
 *
 * JSONL line: {channel, external_id, kind, parent_external_id?, repost_of?, author_id?,
 * author_name?, url?, published_at, text, raw?}. CSV: the same column names;
 * `external_id` defaults to `<file>:<row>` and `channel` to `file`.
 */
export function createFileAdapter(opts: { baseDir?: string; batchSize?: number } = {}): ChannelAdapter {
  const batchSize = opts.batchSize ?? 500;
  return {
    channel: 'file',
    kinds: ['jsonl', 'csv'],
    async poll(source: SourceRef, cursor: Cursor): Promise<PollResult> {
      const path = resolve(opts.baseDir ?? process.cwd(), source.reference);
      let content: string;
      try {
        content = await readFile(path, 'utf8');
      } catch (cause) {
        throw new SourceError('broken', `cannot read ${source.reference}: ${(cause as Error).message}`, { cause });
      }
      const records = source.kind === 'csv' ? readCsv(content) : readJsonl(content, source.reference);
      const from = cursor ? Number(cursor) || 0 : 0;
      const slice = records.slice(from, from + batchSize);
      const name = basename(source.reference);
      const posts = slice.map((r, i) => toRawPost(r, `${name}:${from + i + 1}`));
      return { posts, cursor: String(from + slice.length) };
    },
  };
}

type Row = Record<string, unknown>;

function readJsonl(content: string, file: string): Row[] {
  const rows: Row[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      throw new SourceError('broken', `${file}:${i + 1}: not a JSON line`);
    }
  });
  return rows;
}

function readCsv(content: string): Row[] {
  return parseCsv(content, { columns: true, skip_empty_lines: true, bom: true, relax_quotes: true }) as Row[];
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

export function toRawPost(r: Row, fallbackId: string): RawPost {
  const channel = (CHANNELS as readonly string[]).includes(String(r.channel)) ? (r.channel as Channel) : 'file';
  const kind = (['post', 'comment', 'message', 'suggested'] as const).includes(r.kind as PostKind) ? (r.kind as PostKind) : 'post';
  const published = new Date(String(r.published_at ?? r.date ?? ''));
  return {
    channel,
    externalId: str(r.external_id) ?? fallbackId,
    kind,
    parentExternalId: str(r.parent_external_id),
    repostOfExternalId: str(r.repost_of),
    authorId: str(r.author_id),
    authorName: str(r.author_name),
    url: str(r.url),
    text: String(r.text ?? ''),
    publishedAt: published, // an invalid date is replaced by the fetch time when stored
    raw: r.raw ?? r,
    replyTarget: null,
  };
}
