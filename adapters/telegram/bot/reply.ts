import { Input, type Telegram } from 'telegraf';
import type { Clock } from '../../../src/clock.js';
import type { ReplyPhoto, ReplyResult, ReplyTarget } from '../../../src/domain/source.js';
import { escapeHtml } from '../../../src/bot/html.js';
import { AmbiguousDeliveryError, isTelegramError, retryAfterSec } from './errors.js';
import { messageUrl } from './message.js';
import type { BotRole, TgMessage } from './types.js';

export interface ReplySenderDeps {
  /** The client of the bot that read the post (`target.bot`); throws when its token is missing. */
  telegramFor(role: BotRole): Telegram;
  clock: Clock;
  /** Client-side timeout of one sendMessage (real time: it bounds a network wait). */
  timeoutMs: number;
  /** How many 429s to sit out before giving up. */
  maxFloodWaits?: number;
}

export type ReplySender = (target: ReplyTarget, text: string, idempotencyKey: string, photos?: ReplyPhoto[]) => Promise<ReplyResult>;

// Errors after which the request surely never reached Telegram, so a retry cannot double-post.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Sends a reply in the chat of the post, as a reply to it. Telegram has no idempotency
 * key, so delivery is guarded in-process: a key that was delivered returns the same
 * result; a key whose attempt ended ambiguously (timeout) is never resent and keeps
 * failing with AmbiguousDeliveryError until a human decides.
 */
export function createReplySender(deps: ReplySenderDeps): ReplySender {
  const delivered = new Map<string, ReplyResult>();
  const ambiguous = new Set<string>();
  const maxWaits = deps.maxFloodWaits ?? 3;

  return async (target, text, key, photos = []) => {
    const done = delivered.get(key);
    if (done) return done;
    if (ambiguous.has(key)) throw new AmbiguousDeliveryError(`reply ${key}: an earlier attempt may have been delivered; not resending`, key);
    const role: BotRole = target.bot === 'citizen_bot' ? 'citizen_bot' : 'bot';
    const telegram = deps.telegramFor(role);
    const payload = {
      chat_id: target.chat_id as number | string,
      text: escapeHtml(text),
      parse_mode: 'HTML' as const,
      // The citizen may have deleted the message; the answer must still reach the chat.
      reply_parameters: { message_id: Number(target.message_id), allow_sending_without_reply: true },
    };
    for (let waits = 0; ; waits++) {
      try {
        const msg = (photos.length && text.length <= 1024 ? await sendPhotoOnce(telegram, payload, photos[0]!, deps.timeoutMs) : await sendOnce(telegram, payload, deps.timeoutMs)) as unknown as TgMessage;
        const result = toReplyResult(msg, role);
        delivered.set(key, result);
        return result;
      } catch (err) {
        const after = retryAfterSec(err);
        if (after !== null && waits < maxWaits) {
          await deps.clock.sleep(after * 1000);
          continue;
        }
        if (after === null && isAmbiguous(err)) {
          ambiguous.add(key);
          throw new AmbiguousDeliveryError(`reply ${key}: delivery unconfirmed (${errorText(err)}); check the chat before resending`, key, { cause: err });
        }
        throw err;
      }
    }
  };
}

async function sendOnce(telegram: Telegram, payload: Parameters<Telegram['sendMessage']>[2] & { chat_id: number | string; text: string }, timeoutMs: number) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`sendMessage timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    return await telegram.callApi('sendMessage', payload, { signal: ctl.signal as never });
  } finally {
    clearTimeout(timer);
  }
}

async function sendPhotoOnce(telegram: Telegram, payload: { chat_id: number | string; text: string; reply_parameters: { message_id: number; allow_sending_without_reply: boolean } }, photo: ReplyPhoto, timeoutMs: number) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`sendPhoto timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    const file = Input.fromBuffer(Buffer.from(photo.data), photo.filename);
    // A multipart request carries object fields as JSON strings; telegraf serializes only some of them itself.
    const fields = { chat_id: payload.chat_id, photo: file, caption: payload.text, parse_mode: 'HTML', reply_parameters: JSON.stringify(payload.reply_parameters) };
    return await telegram.callApi('sendPhoto', fields as never, { signal: ctl.signal as never });
  } finally {
    clearTimeout(timer);
  }
}

function isAmbiguous(err: unknown): boolean {
  if (isTelegramError(err)) return err.code >= 500;
  const code = (err as { code?: unknown })?.code;
  return !(typeof code === 'string' && NOT_SENT_CODES.has(code));
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function toReplyResult(msg: TgMessage, role: BotRole): ReplyResult {
  const key = `${msg.chat.id}/${msg.message_id}`;
  return role === 'citizen_bot' ? { externalId: `citizen:${key}`, url: null } : { externalId: key, url: messageUrl(msg.chat, msg.message_id) };
}
