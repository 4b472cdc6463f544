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
const SPAM = ['купить', 'куплю', 'продам', 'продаю', 'продается', 'недорого', 'с доставкой', 'скидк', 'промокод', 'подписывайтесь', 'подпишись', 'розыгрыш', 'акция', 'заработок', 'заработ', 'реклам', 'переходите по ссылке', 'ставки', 'казино', 'кредит'];
const NEWS = [
  'сообщает', 'по данным', 'пресс-служб', 'состоится', 'пройдет', 'проходит', 'стало известно', 'напоминаем', 'анонс',
  'уважаемые жители', 'уважаемые куряне', 'уважаемые горожане', 'уважаемые пассажиры', 'уважаемые автомобилисты', 'информируем',
  'начинается', 'начнется', 'начался', 'ограничено до', 'пропала', 'пропал ', 'нашедшему', 'затруднено движение', 'движение ограничено', 'объезжайте', 'итоги недели', 'приняло', 'подробности',
  'проводит голосование', 'останутся без', 'аварийные бригады', 'график отключений', 'плановое отключение',
];
/** Asking where to turn is a question even when the trouble is told at length. */
const ASKING = ['подскажите', 'куда обращаться', 'куда обратиться', 'как оформить', 'кто знает', 'кто-нибудь знает'];
/** Words of someone telling their own trouble: a post with them is not an announcement. */
const FIRST_PERSON = ['у нас', 'мы', 'я', 'мне', 'мой', 'моя', 'мою', 'наш', 'нам', 'живу', 'живем', 'сколько можно'];
/** A thanks with a "but" is a complaint in disguise. */
const CONTRAST = ['но', 'однако', 'а вот', 'только вот', 'зато', 'опять', 'до сих пор'];
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

/** True when one of the words (or phrases) occurs as a whole word. */
export function hasWord(padded: string, entries: readonly string[]): boolean {
  return entries.some((w) => padded.includes(` ${w} `));
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
  const asks = norm.includes('?') || hasAny(p, REQUEST);
  if (hasAny(p, SPAM) && !problem) return { kind: 'noise', matched: true };
  // Thanks for a fixed problem name the problem ("вывезли мусор"): thanks wins unless there is a "but" or an ask.
  if (hasAny(p, THANKS) && !asks && !hasWord(p, CONTRAST)) return { kind: 'thanks', matched: true };
  // Announcements (news of the administration or a channel) mention problems too, but tell no one's own trouble.
  if (hasAny(p, NEWS) && !asks && !hasWord(p, FIRST_PERSON)) return { kind: 'noise', matched: true };
  if (hasAny(p, SUGGESTION)) return { kind: 'suggestion', matched: true };
  if (hasAny(p, REQUEST)) return { kind: 'request', matched: true };
  // "Кто за это отвечает?" closing a complaint is rhetorical: a question either opens with one or names no problem.
  const opensWithQuestion = INTERROGATIVES.some((w) => p.startsWith(` ${w}`)) || /^[^.!]{0,120}\?/.test(norm);
  if (opensWithQuestion || hasAny(p, ASKING) || (norm.includes('?') && !problem)) return { kind: 'question', matched: true };
  if (problem) return { kind: 'complaint', matched: true };
  return { kind: topicHit ? 'complaint' : 'noise', matched: false };
}
