import { describe, expect, it } from 'vitest';
import type { CardModel } from '../../src/bot/card-model.js';
import { renderModeratorCard } from '../../src/bot/cards/moderator.js';
import { renderPressCard } from '../../src/bot/cards/press.js';
import { testInstallation } from '../helpers/app.js';

const cfg = testInstallation();
const at = new Date('2026-11-16T09:00:00+03:00');

function model(over: Partial<CardModel['incident']> = {}, created: Record<string, unknown> = {}): CardModel {
  return {
    incident: {
      id: 1, number: 7, status: 'new', kind: 'complaint', topic: 'Ямы и выбоины на дороге', topicGroup: 'Дороги', departmentCode: 'roads', territory: null, priority: 'normal',
      confidence: 0.62, classifiedBy: 'model', needsReview: false, routeReason: null, channel: 'vk', firstPostId: 1, postsCount: 3, summary: 's', isRepeat: true, repeatOf: 2,
      duplicateOf: null, rejectReason: null, redirectedTo: null, outcome: null, detectedAt: at, deadlineAt: new Date(at.getTime() + 8 * 3_600_000), followupDeadlineAt: null,
      firstResponseAt: null, answeredAt: null, closedAt: null, updatedAt: at, externalNumber: null, address: null, firstResponseWorkMin: null, ...over,
    },
    post: { id: 1, channel: 'vk', externalId: '-1_1', sourceId: null, kind: 'post', parentExternalId: null, repostOfExternalId: null, authorId: '5', authorName: 'Иван <Петров>', url: 'https://vk.com/wall-1_1', text: 'Яма '.repeat(300), publishedAt: at, fetchedAt: at, raw: null, replyTarget: null, decidedKind: 'complaint', incidentId: 1, processedAt: at, processError: null },
    sourceName: 'Город',
    created: { explanation: 'модель: «яма»', ...created },
    lastMove: null,
    draft: null,
    reply: null,
  };
}

describe('cards', () => {
  it('the moderators\' card: escaped author, a long text cut with a link, merged posts, repeat flag, confidence and reason', () => {
    const { html } = renderModeratorCard(model(), cfg, 'main', at);
    expect(html).toContain('👤 Иван &lt;Петров&gt;');
    expect(html).toContain('… <a href="https://vk.com/wall-1_1">читать полностью</a>');
    expect(html).toContain('публикаций: 3 · 🔁 повторное');
    expect(html).toContain('Тема: Ямы и выбоины на дороге (Дороги) (62%)');
    expect(html).toContain('<i>Почему: модель: «яма»</i>');
    expect(html.length).toBeLessThan(4096);
  });

  it('the topic list offers the model\'s top 3 first, then the groups', () => {
    const m = model({}, { topTopics: [{ name: 'Содержание, ремонт и обустройство тротуаров', p: 0.5 }, { name: 'Ямы во дворах', p: 0.3 }, { name: 'нет такой темы', p: 0.1 }] });
    const { keyboard } = renderModeratorCard(m, cfg, 'topics', at);
    const labels = keyboard.flat().map((b) => b.text);
    expect(labels.slice(0, 3)).toEqual(['⭐ Содержание, ремонт и обустройство тротуаров', '⭐ Ямы во дворах', '⭐ Ямы и выбоины на дороге']);
    expect(labels).toContain('Благоустройство');
    expect(keyboard.flat().find((b) => b.text === 'Благоустройство')).toMatchObject({ action: 'view', arg: 'group:Благоустройство' });
  });

  it('the reject reasons are the ones moderators use', () => {
    const labels = renderModeratorCard(model(), cfg, 'reject', at).keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(['спам', 'реклама', 'новость', 'благодарность', 'не наша территория', 'флуд', 'другое…', '◂ Назад']);
  });

  it('a decided incident has no moderator buttons; an unconfirmed reply asks the press for the link or a resend', () => {
    expect(renderModeratorCard(model({ status: 'assigned' }), cfg, 'main', at).keyboard).toEqual([]);
    const m = { ...model({ status: 'ready' }), reply: { status: 'unconfirmed', lastError: 'timeout' } as CardModel['reply'] };
    const press = renderPressCard(m, cfg, at);
    expect(press.html).toContain('Неизвестно, опубликован ли ответ');
    expect(press.keyboard.flat().map((b) => b.text)).toEqual(['🔗 Опубликовано — дать ссылку', '🔁 Отправить снова']);
  });
});
