import { describe, expect, it } from 'vitest';
import { parseTmePage } from '../../adapters/telegram/tme/parse.js';

const msg = (post: string, inner: string, datetime = '2026-03-02T07:37:00+00:00', extraClass = '') => `
<div class="tgme_widget_message_wrap js-widget_message_wrap">
 <div class="tgme_widget_message text_not_supported_wrap js-widget_message ${extraClass}" data-post="${post}" data-view="x">
  <div class="tgme_widget_message_bubble">
   <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/Gorod_News"><span dir="auto">Новости города</span></a></div>
   ${inner}
   <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
    <span class="tgme_widget_message_views">2.4K</span>
    <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/${post}"><time datetime="${datetime}" class="time">07:37</time></a></span>
   </div></div>
  </div>
 </div>
</div>`;

const page = (body: string, before?: number) => `<html><body><section class="tgme_channel_history js-message_history">
${before ? `<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/Gorod_News?before=${before}" class="tme_messages_more js-messages_more" data-before="${before}"></a></div>` : ''}
${body}
</section></body></html>`;

const text = (t: string) => `<div class="tgme_widget_message_text js-message_text" dir="auto">${t}</div>`;

describe('parseTmePage', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['plain text with <br/> and an entity', text('Отключат воду<br/>на Ленина, 5 &amp; 7'), { text: 'Отключат воду\nна Ленина, 5 & 7' }],
    [
      'nested (doubled) text div',
      `<div class="tgme_widget_message_text js-message_text" dir="auto"><div class="tgme_widget_message_text js-message_text" dir="auto">Снег не убран<br/><br/>Фото в комментариях</div></div>`,
      { text: 'Снег не убран\n\nФото в комментариях' },
    ],
    [
      'a link whose href holds &amp;',
      text('Подробнее: <a href="https://example.org/news?id=5&amp;src=tg">по ссылке</a>'),
      { text: 'Подробнее: по ссылке' },
    ],
    [
      'a reply keeps only its own text',
      `<a class="tgme_widget_message_reply" href="https://t.me/Gorod_News/10"><div class="tgme_widget_message_text js-message_text">Цитата</div></a>${text('Ответ администрации')}`,
      { text: 'Ответ администрации', raw: expect.objectContaining({ isReply: true }) },
    ],
    [
      'a forwarded post',
      `<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="https://t.me/Oblast_Info/55"><span dir="auto">Область</span></a></div>${text('Репост')}`,
      { repostOfExternalId: 'oblast_info/55', raw: expect.objectContaining({ forwardedFrom: { name: 'Область', url: 'https://t.me/Oblast_Info/55' } }) },
    ],
    [
      'a photo with a caption',
      `<a class="tgme_widget_message_photo_wrap blured" href="https://t.me/Gorod_News/184" style="width:800px;background-image:url('https://cdn.example/file/p1.jpg')"></a>${text('Яма')}`,
      { text: 'Яма', raw: expect.objectContaining({ photos: ['https://cdn.example/file/p1.jpg'] }) },
    ],
    ['a photo without text', `<a class="tgme_widget_message_photo_wrap" style="background-image:url(https://cdn.example/p2.jpg)"></a>`, { text: '' }],
  ];

  it.each(cases)('%s', (_name, inner, expected) => {
    const { posts } = parseTmePage(page(msg('Gorod_News/184', inner)), 'Gorod_News');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      externalId: 'gorod_news/184',
      kind: 'post',
      url: 'https://t.me/Gorod_News/184',
      publishedAt: new Date('2026-03-02T07:37:00Z'),
      authorName: 'Новости города',
      replyTarget: null,
      ...expected,
    });
  });

  it('skips service messages and messages without a date, keeps page order, reads data-before', () => {
    const html = page(
      [
        msg('Gorod_News/181', '<div class="tgme_widget_service_strip">Channel created</div>', undefined, 'service_message'),
        msg('Gorod_News/182', text('Первый')),
        msg('Gorod_News/183', text('Без даты'), 'not a date'),
        msg('Gorod_News/185', text('Второй')),
      ].join('\n'),
      181,
    );
    const res = parseTmePage(html, 'Gorod_News');
    expect(res.posts.map((p) => p.externalId)).toEqual(['gorod_news/182', 'gorod_news/185']);
    expect(res.before).toBe(181);
  });

  it('has no before on the oldest page and no posts on an empty one', () => {
    expect(parseTmePage(page(''), 'x')).toEqual({ posts: [], before: null });
  });
});
