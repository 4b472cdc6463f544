import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { CHANNELS, type Channel, type PostKind, type RawPost } from '../../src/domain/post.js';
import { SourceError, type ChannelAdapter, type Cursor, type PollResult, type SourceRef } from '../../src/domain/source.js';
import { decodeText, readCsvRecords, readJsonlRecords, type FileRecord, type Row } from './records.js';

/**
 * Reads posts from a JSONL or CSV file (imports, the demo). The cursor is the
 * number of records already handed out (a refused record counts too), so a file
 * that grows is read on and one bad line never holds back the lines after it.
 *
 * JSONL line: {channel, external_id, kind, parent_external_id?, repost_of?, author_id?,
 * author_name?, url?, published_at, text, raw?}. CSV: the same column names;
 * `external_id` defaults to `<file>:<row>` and `channel` to `file`. UTF-8 (with or
 * without a BOM) or Windows-1251; LF or CRLF.
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
        content = decodeText(await readFile(path));
      } catch (cause) {
        throw new SourceError('broken', `cannot read ${source.reference}: ${(cause as Error).message}`, { cause });
      }
      const records = source.kind === 'csv' ? readCsvRecords(content, source.reference) : readJsonlRecords(content, source.reference);
      const from = cursor ? Number(cursor) || 0 : 0;
      const slice = records.slice(from, from + batchSize);
      const name = basename(source.reference);
      const posts: RawPost[] = [];
      const refused: string[] = [];
      slice.forEach((r, i) => {
        const post = 'row' in r ? toRawPostChecked(r, `${name}:${from + i + 1}`) : r;
        if ('refused' in post) refused.push(post.refused);
        else posts.push(post);
      });
      return { posts, cursor: String(from + slice.length), ...(refused.length ? { refused } : {}) };
    },
  };
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const scalar = (v: unknown) => v === undefined || v === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof v);
const ID_FIELDS = ['external_id', 'parent_external_id', 'repost_of', 'author_id', 'author_name', 'url', 'channel', 'kind'] as const;

/** A record whose fields cannot be a post (an object where text belongs) is refused with the field named. */
function toRawPostChecked(r: Extract<FileRecord, { row: Row }>, fallbackId: string): RawPost | { refused: string } {
  if (r.row.text !== undefined && r.row.text !== null && typeof r.row.text !== 'string') return { refused: `${r.where}: поле text не строка` };
  const bad = ID_FIELDS.find((k) => !scalar(r.row[k]));
  if (bad) return { refused: `${r.where}: поле ${bad} не строка` };
  // A unique index entry has a size limit; no network's id is this long.
  const long = ID_FIELDS.find((k) => k !== 'url' && String(r.row[k] ?? '').length > 512);
  if (long) return { refused: `${r.where}: поле ${long} длиннее 512 символов` };
  return toRawPost(r.row, fallbackId);
}

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
