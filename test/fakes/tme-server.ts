/**
 * A local t.me web preview for tests: `/s/<chan>` pages of ~20 posts (oldest → newest) in the
 * markup t.me serves (nested text divs, `<br/>`, `&amp;` in hrefs, service messages, forwards,
 * photos), `?before=` paging, channels that redirect away from the preview, injected errors.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TmeFakePost {
  id: number;
  text: string;
  date: Date;
  forwardedFrom?: { name: string; url: string };
  photoUrl?: string;
  /** Render the text div doubled-and-nested, as t.me does for some posts. */
  nested?: boolean;
  service?: boolean;
}
interface FakeChannel { name: string; title: string; redirect: boolean; posts: TmeFakePost[]; nextId: number }
/** `body`: HTTP 200 with this raw HTML instead of the page (a changed or broken layout). */
export type TmeFault = { status: number; retryAfter?: number } | { delayMs: number } | { body: string };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Plain text → t.me text HTML: line breaks as <br/>, URLs as links whose & becomes &amp;. */
const textHtml = (s: string) =>
  s.split('\n').map((line) => esc(line).replace(/https?:\/\/\S+/g, (u) => `<a href="${u}" target="_blank" rel="noopener">${u}</a>`)).join('<br/>');

function renderPost(ch: FakeChannel, p: TmeFakePost): string {
  const ref = `${ch.name}/${p.id}`;
  if (p.service) {
    return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message service_message js-widget_message" data-post="${ref}">
  <div class="tgme_widget_message_bubble"><div class="message_media_not_supported_wrap"></div><div class="tgme_widget_service_strip">Channel photo updated</div></div></div></div>`;
  }
  const text = textHtml(p.text);
  const textDiv = p.nested
    ? `<div class="tgme_widget_message_text js-message_text" dir="auto"><div class="tgme_widget_message_text js-message_text" dir="auto">${text}</div></div>`
    : `<div class="tgme_widget_message_text js-message_text" dir="auto">${text}</div>`;
  const fwd = p.forwardedFrom
    ? `<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="${esc(p.forwardedFrom.url)}"><span dir="auto">${esc(p.forwardedFrom.name)}</span></a></div>`
    : '';
  const photo = p.photoUrl
    ? `<a class="tgme_widget_message_photo_wrap blured" href="https://t.me/${ref}" style="width:800px;background-image:url('${p.photoUrl}')"><div class="tgme_widget_message_photo" style="padding-top:75%"></div></a>`
    : '';
  const iso = p.date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return `<div class="tgme_widget_message_wrap js-widget_message_wrap">
 <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="${ref}" data-view="eyJjIjotMTAwMTIzLCJwIjoxODR9">
  <div class="tgme_widget_message_user"><a href="https://t.me/${ch.name}"><i class="tgme_widget_message_user_photo bgcolor0" data-content="Г"></i></a></div>
  <div class="tgme_widget_message_bubble">
   <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/${ch.name}"><span dir="auto">${esc(ch.title)}</span></a></div>
   ${fwd}${photo}${textDiv}
   <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
    <span class="tgme_widget_message_views">1.${p.id % 10}K</span><span class="copyonly"> views</span>
    <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/${ref}"><time datetime="${iso}" class="time">${iso.slice(11, 16)}</time></a></span>
   </div></div>
  </div>
 </div>
</div>`;
}

function renderPage(ch: FakeChannel, before: number | null, pageSize: number): string {
  const older = ch.posts.filter((p) => before === null || p.id < before);
  const page = older.slice(-pageSize);
  const more = page.length && older.length > page.length
    ? `<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/${ch.name}?before=${page[0]!.id}" class="tme_messages_more js-messages_more" data-before="${page[0]!.id}"></a></div>`
    : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(ch.title)} – Telegram</title></head><body class="widget_frame_base tgme_webpage_body">
<main class="tgme_main"><section class="tgme_channel_history js-message_history">
${more}
${page.map((p) => renderPost(ch, p)).join('\n')}
</section></main></body></html>`;
}

export async function startTmeFake(opts: { pageSize?: number } = {}) {
  const pageSize = opts.pageSize ?? 20;
  const channels = new Map<string, FakeChannel>();
  const faults: TmeFault[] = [];
  const requests: string[] = [];

  function addChannel(name: string, o: { title?: string; redirect?: boolean; firstId?: number } = {}): void {
    channels.set(name.toLowerCase(), { name, title: o.title ?? name, redirect: o.redirect ?? false, posts: [], nextId: o.firstId ?? 100 });
  }
  function addPost(chan: string, p: Omit<TmeFakePost, 'id' | 'date'> & { date?: Date }): TmeFakePost {
    const ch = channels.get(chan.toLowerCase());
    if (!ch) throw new Error(`no channel ${chan}`);
    const post = { ...p, id: ch.nextId++, date: p.date ?? new Date() };
    ch.posts.push(post);
    return post;
  }
  /** Skip ids, as deleted posts leave holes in a real channel. */
  function skipIds(chan: string, n: number): void {
    channels.get(chan.toLowerCase())!.nextId += n;
  }
  const failNext = (fault: TmeFault, times = 1) => faults.push(...Array.from({ length: times }, () => fault));

  async function handle(path: string, search: URLSearchParams, res: ServerResponse): Promise<void> {
    const fault = faults.shift();
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;
    if (fault && 'body' in fault) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fault.body);
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {};
      return void res.writeHead(fault.status, headers).end('error');
    }
    const m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(path);
    const ch = m ? channels.get(m[1]!.toLowerCase()) : undefined;
    // t.me answers a disabled preview (and an unknown name) with a redirect to the plain page.
    if (m && (!ch || ch.redirect)) return void res.writeHead(302, { location: `/${m[1]}` }).end();
    if (!ch) return void res.writeHead(404).end('not found');
    const before = search.get('before') ? Number(search.get('before')) : null;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderPage(ch, before, pageSize));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    void handle(url.pathname, url.searchParams, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    channels,
    requests,
    addChannel,
    addPost,
    skipIds,
    failNext,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export type TmeFake = Awaited<ReturnType<typeof startTmeFake>>;
