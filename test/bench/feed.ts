/**
 * A deterministic generator of varied synthetic posts for benchmarks and the
 * dedupe equivalence test. The texts come from templates written for this file
 * (not from ../shared/data): complaints and questions about ~40 everyday
 * problems, with addresses (street + house, or a settlement), varied openings,
 * endings and filler, plus thanks, news and ads, comments under earlier posts
 * ("у нас тоже") and reposts of earlier posts.
 */
import type { RawPost } from '../../src/domain/post.js';

/** The project's seeded PRNG (mulberry32), so every run generates the same feed. */
import { seededRandom } from '../../src/classify/random.js';

export const prng = seededRandom;

const STREETS = ['Ленина', 'Карла Маркса', 'Дзержинского', 'Серафима Саровского', 'Энгельса', 'Союзной', 'Радищева', 'Челюскинцев', 'Сумской', 'Обоянской', 'Володарского', 'Интернациональной'];
const SETTLEMENTS = ['Косиново', 'Рышково', 'Пашково', 'Поповке', 'Волокно'];

/** `{a}` = the address ("на ул. Ленина 5" / "в Косиново"), `{d}` = a day count, `{t}` = a time word. */
const PROBLEMS = [
  'Третий день нет горячей воды {a}, когда дадут?',
  'В квартирах холодные батареи {a}, отопление так и не включили',
  'Огромная яма на дороге {a}, уже {d} колеса пробили',
  'Не вывозят мусор {a} уже {d} дней, контейнеры переполнены',
  'Не горят фонари {a}, вечером идти страшно',
  'Открытый канализационный люк {a} прямо на тротуаре',
  'Прорвало трубу {a}, вода течёт по двору',
  'Сосульки висят над входом в подъезд {a}, управляющая компания не реагирует',
  'Лифт не работает {a} уже {d} дней, пожилые люди не могут выйти',
  'Двор {a} не чистят от снега, машины застревают',
  'На детской площадке {a} сломаны качели, дети могут пораниться',
  'Стихийная свалка за гаражами {a}, всё завалено строительным мусором',
  'Затопило подвал {a}, стоит запах сырости',
  'Нет холодной воды {a} с {t}, никто ничего не объясняет',
  'Отключили электричество {a} без предупреждения',
  'Бродячие собаки {a} бросаются на детей',
  'После раскопок {a} так и не восстановили асфальт',
  'Светофор {a} не работает, переходить дорогу опасно',
  'Автобус не приходит по расписанию, ждём на остановке {a} по часу',
  'На остановке {a} разбито стекло и нет лавочки',
  'Тротуар {a} весь в ямах, с коляской не пройти',
  'Пахнет газом в подъезде {a}, аварийная не приезжает',
  'Упало дерево во дворе {a}, перегородило проезд',
  'Не убирают наледь на ступеньках {a}, люди падают',
  'Залили квартиру сверху {a}, управляющая компания бездействует',
  'Почему в счёте за ЖКУ {a} снова пересчёт, кто ответит?',
  'Когда отремонтируют крышу {a}, течёт уже {d} месяца',
  'Просим установить лежачего полицейского {a}, машины носятся',
  'Просим поставить урны и лавочки во дворе {a}',
  'Предлагаю сделать сквер на пустыре {a}',
  'В школе {a} холодно, дети сидят в куртках',
  'Нет мест в детском саду {a}, очередь не двигается',
  'В аптеке {a} нет нужных лекарств для льготников',
  'Скорая ехала {d} часа {a}, это нормально?',
  'Во дворе {a} газон разрыли и бросили',
  'Шумят ночью на стройке {a}, работы идут после 23 часов',
  'Дым от котельной {a}, дышать невозможно',
  'Не работает домофон и сломана дверь подъезда {a}',
  'Крысы в подвале {a}, дезинсекцию не проводят',
  'Маршрутку отменили, от {a} теперь не уехать',
];

const OTHERS = [
  'Спасибо коммунальщикам за быстрый ремонт лифта!',
  'Благодарю дорожников, яму на нашей улице заделали за день',
  'Скидки на пластиковые окна до 50%! Звоните сейчас',
  'Продаю гараж недорого, торг уместен',
  'В субботу в парке пройдёт концерт духового оркестра',
  'Поздравляем всех с праздником, хороших выходных!',
  'Кто знает хорошего мастера по ремонту стиральных машин?',
  'Сегодня в городе ожидается мокрый снег и гололёд',
];

const OPENINGS = ['', '', '', 'Здравствуйте! ', 'Администрация, ответьте! ', 'Добрый день. ', 'Сколько можно?! ', 'Помогите! ', 'Уважаемые депутаты, '];
const ENDINGS = ['', '', '', ' Примите меры.', ' Сколько можно ждать?', ' Жалуемся уже не первый раз.', ' 😡', ' Куда обращаться?', ' Просим разобраться!!!', ' Фото в комментариях.'];
const FILLERS = ['', '', '', ' Люди возмущены.', ' Звонили в диспетчерскую, без толку.', ' Соседи подтвердят.', ' Писали в управляющую компанию.', ' Ситуация повторяется каждую зиму.'];
const COMMENTS = ['У нас тоже самое, поддерживаю', 'И у нас {a} то же самое', 'Присоединяюсь, безобразие', 'Когда уже починят?', 'Спасибо, что подняли вопрос', '+1, третий день так'];
const DAYS = ['два', 'три', 'четыре', 'пять', 'шесть'];
const TIMES = ['утра', 'обеда', 'вчерашнего вечера', 'понедельника', 'выходных'];

export interface FeedOptions {
  seed?: number;
  /** Feed start; posts are a few seconds apart. */
  start?: Date;
  /** Share of comments under earlier posts (default 0.2) and of reposts (0.05). */
  comments?: number;
  reposts?: number;
  /** Share of posts that are thanks, news or ads (default 0.15). */
  others?: number;
  /** How many distinct houses per street (default 40): fewer means more posts about one address. */
  houses?: number;
}

/** An address phrase, or none (a quarter of problem posts name no place). */
function address(rnd: () => number, houses: number): string {
  const r = rnd();
  if (r < 0.25) return '';
  if (r < 0.35) return `в ${pick(rnd, SETTLEMENTS)}`;
  const street = pick(rnd, STREETS);
  return r < 0.45 ? `на улице ${street}` : `на ул. ${street} ${1 + Math.floor(rnd() * houses)}`;
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function fill(template: string, rnd: () => number, houses: number, addr = address(rnd, houses)): string {
  return template
    .replace('{a}', addr)
    .replace('{d}', pick(rnd, DAYS))
    .replace('{t}', pick(rnd, TIMES))
    .replace(/\s+,/g, ',')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** A VK-like item with a photo, so `raw` has a realistic size (about 0.6 KB). */
function rawItem(id: number, text: string, date: number) {
  return {
    id, owner_id: -1, from_id: 1000 + (id % 997), date, text, post_type: 'post',
    attachments: [{ type: 'photo', photo: { id: 9000 + id, owner_id: -1, sizes: [{ type: 'x', url: `https://sun9-1.userapi.com/impg/${id}.jpg`, width: 604, height: 453 }] } }],
    comments: { count: 0 }, likes: { count: id % 13 }, reposts: { count: 0 }, views: { count: 100 + (id % 500) },
  };
}

/** The `n`-th..`n+count-1`-th posts of the feed (the same posts for the same seed and index). */
export function* generatePosts(total: number, opts: FeedOptions = {}): Generator<RawPost> {
  const rnd = prng(opts.seed ?? 1);
  const start = (opts.start ?? new Date('2026-11-16T06:00:00Z')).getTime();
  const houses = opts.houses ?? 40;
  const shareComments = opts.comments ?? 0.2;
  const shareReposts = opts.reposts ?? 0.05;
  const shareOthers = opts.others ?? 0.15;
  const recent: Array<{ id: string; text: string }> = [];
  for (let i = 1; i <= total; i++) {
    const externalId = `-1_${i}`;
    const publishedAt = new Date(start + i * 3_000);
    const r = rnd();
    let post: RawPost;
    if (r < shareComments && recent.length) {
      const parent = recent[Math.floor(rnd() * recent.length)]!;
      post = { externalId: `${parent.id}_c${i}`, kind: 'comment', parentExternalId: parent.id, text: fill(pick(rnd, COMMENTS), rnd, houses), publishedAt, raw: { id: i }, authorId: String(i % 5000) };
    } else if (r < shareComments + shareReposts && recent.length) {
      const orig = recent[Math.floor(rnd() * recent.length)]!;
      post = { externalId, kind: 'post', repostOfExternalId: orig.id, text: orig.text, publishedAt, raw: rawItem(i, orig.text, publishedAt.getTime() / 1000), authorId: String(i % 5000) };
    } else {
      const text = rnd() < shareOthers ? pick(rnd, OTHERS) : `${pick(rnd, OPENINGS)}${fill(pick(rnd, PROBLEMS), rnd, houses)}${pick(rnd, FILLERS)}${pick(rnd, ENDINGS)}`;
      post = { externalId, kind: 'post', text, publishedAt, raw: rawItem(i, text, publishedAt.getTime() / 1000), authorId: String(i % 5000) };
      recent.push({ id: externalId, text });
      if (recent.length > 200) recent.shift();
    }
    yield { channel: 'vk', url: `https://vk.com/wall${post.externalId}`, ...post };
  }
}
