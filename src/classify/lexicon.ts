import type { Kind } from '../domain/classification.js';
import { normalizeText, wordsOf } from './normalize.js';

/**
 * A small Russian lexicon for the kind of a post. Stems match word starts;
 * entries with a space match as phrases. Deliberately short: the trained model
 * replaces it as soon as an installation has labels.
 */
const THANKS = ['спасибо', 'благодар', 'признател'];
const REQUEST = ['прошу', 'просим', 'помогите', 'просьба', 'требуем', 'обязать', 'примите меры', 'разберитесь', 'разобраться'];
const SUGGESTION = ['предлагаю', 'предлагаем', 'предложени', 'было бы хорошо', 'было бы здорово', 'хорошо бы', 'стоит сделать', 'давайте сделаем'];
const INTERROGATIVES = ['когда', 'почему', 'где', 'зачем', 'сколько', 'куда', 'кто', 'подскажите', 'можно ли', 'как '];
const SPAM = ['купить', 'куплю', 'продам', 'скидк', 'промокод', 'подписывайтесь', 'подпишись', 'розыгрыш', 'акция', 'заработок', 'заработ', 'реклам', 'переходите по ссылке', 'ставки', 'казино', 'кредит'];
const NEWS = ['сообщает', 'по данным', 'пресс-служб', 'состоится', 'пройдет', 'стало известно', 'напоминаем', 'анонс'];
const PROBLEM = [
  'не работа', 'не горит', 'не убира', 'не вывоз', 'не чист', 'нет ', 'отсутств', 'сломан', 'слома', 'разбит', 'яма', 'ямы',
  'мусор', 'свалк', 'грязь', 'грязн', 'жалоб', 'проблем', 'авари', 'течет', 'течь', 'протек', 'затоп', 'отключ', 'опасн', 'невозможно',
  'ужас', 'безобраз', 'сколько можно', 'холодн', 'воня', 'запах', 'шум', 'сосул', 'гололед', 'наледь', 'не прош', 'нарушен',
  'бездейств', 'игнор', 'разруш', 'поврежд', 'упал', 'аварийн', 'провал', 'лужа', 'лужи', 'подтоп', 'не ход', 'опаздыва',
];

/** True when any stem occurs at a word start (or the phrase occurs) in the padded normalized text. */
export function hasAny(padded: string, stems: readonly string[]): boolean {
  return stems.some((s) => padded.includes(` ${s}`));
}

/** Pads a normalized text with spaces and strips punctuation so stems match word starts. */
export function padded(normalized: string): string {
  return ` ${wordsOf(normalized).join(' ')} `;
}

const URL_RE = /(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(ru|com|рф|me|org|net)\b\S*/g;

/** A post that is only links (and maybe an emoji or two) carries no problem. */
export function isLinksOnly(normalized: string): boolean {
  if (!URL_RE.test(normalized)) return false;
  URL_RE.lastIndex = 0;
  return wordsOf(normalized.replace(URL_RE, ' ')).length <= 1;
}

export interface KindGuess {
  kind: Kind;
  /** True when a lexicon entry decided (not the default). */
  matched: boolean;
}

/**
 * Kind of a text from the lexicon. `topicHit` says whether the topic keywords matched:
 * a text with no problem words and no topic hit is noise.
 */
export function kindOf(text: string, topicHit = false): Kind {
  return guessKind(text, topicHit).kind;
}

export function guessKind(text: string, topicHit = false): KindGuess {
  const norm = normalizeText(text);
  const p = padded(norm);
  const problem = hasAny(p, PROBLEM);
  if (norm.length === 0 || isLinksOnly(norm)) return { kind: 'noise', matched: true };
  if (hasAny(p, SPAM) && !problem) return { kind: 'noise', matched: true };
  if (hasAny(p, THANKS) && !problem && !hasAny(p, REQUEST)) return { kind: 'thanks', matched: true };
  if (hasAny(p, SUGGESTION)) return { kind: 'suggestion', matched: true };
  if (hasAny(p, REQUEST)) return { kind: 'request', matched: true };
  if (norm.includes('?') || INTERROGATIVES.some((w) => p.startsWith(` ${w}`))) return { kind: 'question', matched: true };
  if (hasAny(p, NEWS) && !problem) return { kind: 'noise', matched: true };
  if (problem) return { kind: 'complaint', matched: true };
  return { kind: topicHit ? 'complaint' : 'noise', matched: false };
}
