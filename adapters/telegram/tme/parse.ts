import { load, type CheerioAPI } from 'cheerio';
import type { RawPost } from '../../../src/domain/post.js';

/** What one t.me/s page gives: its posts (oldest → newest) and the id to page further back from. */
export interface TmePage {
  posts: RawPost[];
  /** `data-before` of the "more" link; null on the oldest page. */
  before: number | null;
}

/** A selection of elements (cheerio's Cheerio<Element>, named without importing domhandler). */
type Sel = ReturnType<ReturnType<CheerioAPI['root']>['find']>;

/** Text of a message div: `<br>` becomes a line break, tags go, entities are decoded. */
function textOf($: CheerioAPI, el: Sel): string {
  const copy = el.clone();
  copy.find('br').replaceWith('\n');
  // Block children of a nested/doubled text div would otherwise run together.
  copy.find('div, p').each((_, d) => void $(d).append('\n'));
  return copy.text().replace(/\n{3,}/g, '\n\n').trim();
}

/** The message's own text: the outermost text divs, not the quoted message of a reply. */
function messageText($: CheerioAPI, msg: Sel): string {
  const outer = msg
    .find('.tgme_widget_message_text')
    .filter((_, el) => $(el).parents('.tgme_widget_message_text, .tgme_widget_message_reply').length === 0);
  const texts = outer.toArray().map((el) => textOf($, $(el)));
  return [...new Set(texts.filter(Boolean))].join('\n\n');
}

function photoUrls($: CheerioAPI, msg: Sel): string[] {
  return msg
    .find('.tgme_widget_message_photo_wrap')
    .toArray()
    .map((el) => /background-image:\s*url\(['"]?([^'")]+)['"]?\)/.exec($(el).attr('style') ?? '')?.[1])
    .filter((u): u is string => !!u);
}

/** "https://t.me/other/55" → "other/55", the externalId the original would have here. */
function postRefOf(href: string | undefined): string | null {
  const m = /t\.me\/(?:s\/)?([A-Za-z0-9_]+)\/(\d+)/.exec(href ?? '');
  return m ? `${m[1]!.toLowerCase()}/${m[2]}` : null;
}

function parseMessage($: CheerioAPI, msg: Sel, channel: string): RawPost | null {
  const dataPost = msg.attr('data-post') ?? '';
  const id = Number(dataPost.slice(dataPost.lastIndexOf('/') + 1));
  const datetime = msg.find('.tgme_widget_message_date time[datetime]').first().attr('datetime') ?? msg.find('time[datetime]').first().attr('datetime');
  const publishedAt = new Date(datetime ?? '');
  if (!Number.isInteger(id) || id <= 0 || Number.isNaN(publishedAt.getTime())) return null;
  const chan = channel.replace(/^@/, '');
  const fwd = msg.find('.tgme_widget_message_forwarded_from').first();
  const fwdLink = fwd.find('a.tgme_widget_message_forwarded_from_name').attr('href') ?? fwd.find('a').attr('href');
  const forwardedFrom = fwd.length ? { name: fwd.find('.tgme_widget_message_forwarded_from_name').text().trim() || fwd.text().trim(), url: fwdLink ?? null } : null;
  const author = msg.find('.tgme_widget_message_from_author').first().text().trim() || msg.find('.tgme_widget_message_owner_name').first().text().trim();
  return {
    externalId: `${chan.toLowerCase()}/${id}`,
    kind: 'post',
    parentExternalId: null,
    repostOfExternalId: forwardedFrom ? postRefOf(fwdLink) : null,
    authorId: null,
    authorName: author || null,
    url: `https://t.me/${chan}/${id}`,
    text: messageText($, msg),
    publishedAt,
    raw: {
      post: dataPost,
      views: msg.find('.tgme_widget_message_views').first().text().trim() || null,
      forwardedFrom,
      photos: photoUrls($, msg),
      isReply: msg.find('.tgme_widget_message_reply').length > 0,
    },
    replyTarget: null,
  };
}

/** Parses a t.me/s/<channel> page. Pure: no network, no clock. Service messages are skipped. */
export function parseTmePage(html: string, channel: string): TmePage {
  const $ = load(html);
  const posts: RawPost[] = [];
  $('.tgme_widget_message[data-post]').each((_, el) => {
    const msg = $(el);
    if (msg.hasClass('service_message') || msg.find('.service_message').length) return;
    const post = parseMessage($, msg, channel);
    if (post) posts.push(post);
  });
  const before = Number($('a.tme_messages_more[data-before]').first().attr('data-before'));
  return { posts, before: Number.isInteger(before) && before > 0 ? before : null };
}

/** The numeric message id of a t.me/s post's externalId ("chan/184" → 184). */
export const tmePostId = (p: RawPost): number => Number(p.externalId.slice(p.externalId.lastIndexOf('/') + 1));
