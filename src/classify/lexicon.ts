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

/**
 * A word list compiled once into one regular expression over the padded text: a stem
 * matches at a word start, a phrase as written. One scan per list instead of one
 * `includes` (and one concatenated string) per entry.
 */
function startsOf(stems: readonly string[]): RegExp {
  return new RegExp(` (?:${stems.map(escape).join('|')})`);
}

/** Whole words (or phrases): a space must follow. */
function wordsIn(entries: readonly string[]): RegExp {
  return new RegExp(` (?:${entries.map(escape).join('|')}) `);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const LISTS = {
  thanks: startsOf(THANKS),
  request: startsOf(REQUEST),
  suggestion: startsOf(SUGGESTION),
  spam: startsOf(SPAM),
  news: startsOf(NEWS),
  asking: startsOf(ASKING),
  firstPerson: wordsIn(FIRST_PERSON),
  contrast: wordsIn(CONTRAST),
  problem: startsOf(PROBLEM),
};
const OPENING_QUESTION = new RegExp(`^ (?:${INTERROGATIVES.map(escape).join('|')})`);

let lastNormalized: string | null = null;
let lastPadded = '';

/** Pads a normalized text with spaces and strips punctuation so stems match word starts (the last answer is kept: the lexicon and the topic keywords pad the same text). */
export function padded(normalized: string): string {
  if (normalized !== lastNormalized) [lastNormalized, lastPadded] = [normalized, ` ${wordsOf(normalized).join(' ')} `];
  return lastPadded;
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

/**
 * What the lexicon says of a text, before the default (null: no entry decided). Both the
 * model's decision and the rules ask for the same text in turn: the last answer is kept.
 */
let lastText: string | null = null;
let lastKind: KindGuess | null = null;

function lexiconKind(text: string): KindGuess | null {
  if (text === lastText) return lastKind;
  const norm = normalizeText(text);
  const p = padded(norm);
  const kind = (k: Kind): KindGuess => ({ kind: k, matched: true });
  const decide = (): KindGuess | null => {
    if (norm.length === 0 || isLinksOnly(norm)) return kind('noise');
    const problem = LISTS.problem.test(p);
    const asks = norm.includes('?') || LISTS.request.test(p);
    if (!problem && LISTS.spam.test(p)) return kind('noise');
    // Thanks for a fixed problem name the problem ("вывезли мусор"): thanks wins unless there is a "but" or an ask.
    if (!asks && LISTS.thanks.test(p) && !LISTS.contrast.test(p)) return kind('thanks');
    // Announcements (news of the administration or a channel) mention problems too, but tell no one's own trouble.
    if (!asks && LISTS.news.test(p) && !LISTS.firstPerson.test(p)) return kind('noise');
    if (LISTS.suggestion.test(p)) return kind('suggestion');
    if (LISTS.request.test(p)) return kind('request');
    // "Кто за это отвечает?" closing a complaint is rhetorical: a question either opens with one or names no problem.
    const opensWithQuestion = OPENING_QUESTION.test(p) || /^[^.!]{0,120}\?/.test(norm);
    if (opensWithQuestion || LISTS.asking.test(p) || (norm.includes('?') && !problem)) return kind('question');
    return problem ? kind('complaint') : null;
  };
  [lastText, lastKind] = [text, decide()];
  return lastKind;
}

export function guessKind(text: string, topicHit = false): KindGuess {
  return lexiconKind(text) ?? { kind: topicHit ? 'complaint' : 'noise', matched: false };
}
