import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One line of a chat as the demo shows it: a new message or an edit of one. */
export interface ChatEntry {
  at: Date;
  chatId: string;
  messageId: number;
  kind: 'new' | 'edit' | 'photo';
  text: string;
  buttons: string[];
}

export interface DemoBotApi {
  apiRoot: string;
  /** What each chat saw, in order. */
  transcript(): ChatEntry[];
  /** A message as it is now (text and buttons with their callback data). */
  message(chatId: string, messageId: number): { text: string; markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>>; force_reply?: boolean } } | undefined;
  /** Messages of a chat in order. */
  messages(chatId: string): Array<{ messageId: number; text: string; markup?: { force_reply?: boolean } }>;
  close(): Promise<void>;
}

type Payload = Record<string, unknown>;

/**
 * The demo's in-process Telegram Bot API: enough of the wire format for the staff bot
 * (getMe, sendMessage, editMessageText, answerCallbackQuery, sendPhoto/sendDocument,
 * deleteWebhook) on 127.0.0.1, keeping what every chat saw for `demo --chats`.
 * Updates are handed to the bot directly (bot.handleUpdate), so there is no getUpdates queue.
 */
export async function startDemoBotApi(now: () => Date): Promise<DemoBotApi> {
  const chats = new Map<string, Array<{ messageId: number; text: string; markup?: Payload }>>();
  const log: ChatEntry[] = [];
  const buttonsOf = (markup?: Payload) => ((markup?.inline_keyboard as Array<Array<{ text: string }>> | undefined) ?? []).flat().map((b) => b.text);

  function call(method: string, p: Payload): unknown {
    const chatId = String(p.chat_id ?? '');
    const list = chats.get(chatId) ?? [];
    switch (method) {
      case 'getMe':
        return { id: 7000, is_bot: true, first_name: 'Отклик (демо)', username: 'otklik_demo_bot' };
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument': {
        const text = String(p.text ?? p.caption ?? (method === 'sendMessage' ? '' : `[${method === 'sendPhoto' ? 'фото' : 'файл'}]`));
        const msg = { messageId: list.length + 1, text, ...(p.reply_markup ? { markup: p.reply_markup as Payload } : {}) };
        chats.set(chatId, [...list, msg]);
        log.push({ at: now(), chatId, messageId: msg.messageId, kind: method === 'sendMessage' ? 'new' : 'photo', text, buttons: buttonsOf(msg.markup) });
        return { message_id: msg.messageId, date: Math.floor(now().getTime() / 1000), chat: { id: Number(chatId), type: 'supergroup', title: chatId }, text };
      }
      case 'editMessageText': {
        const msg = list.find((m) => m.messageId === Number(p.message_id));
        if (!msg) throw Object.assign(new Error('Bad Request: message to edit not found'), { code: 400 });
        msg.text = String(p.text);
        if (p.reply_markup) msg.markup = p.reply_markup as Payload;
        else delete msg.markup;
        log.push({ at: now(), chatId, messageId: msg.messageId, kind: 'edit', text: msg.text, buttons: buttonsOf(msg.markup) });
        return { message_id: msg.messageId, date: 0, chat: { id: Number(chatId), type: 'supergroup' }, text: msg.text };
      }
      case 'answerCallbackQuery':
      case 'deleteWebhook':
      case 'setMyCommands':
        return true;
      default:
        throw Object.assign(new Error('Not Found'), { code: 404 });
    }
  }

  const server = createServer((req, res) => {
    void read(req).then((p) => {
      const method = /\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
      try {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result: call(method, p) }));
      } catch (err) {
        const code = (err as { code?: number }).code ?? 400;
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: code, description: (err as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    transcript: () => log,
    message: (chatId, messageId) => {
      const m = chats.get(chatId)?.find((x) => x.messageId === messageId);
      return m ? { text: m.text, ...(m.markup ? { markup: m.markup as never } : {}) } : undefined;
    },
    messages: (chatId) => (chats.get(chatId) ?? []).map((m) => ({ messageId: m.messageId, text: m.text, ...(m.markup ? { markup: m.markup as never } : {}) })),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** JSON bodies, and multipart ones (photos) reduced to their text fields. */
async function read(req: IncomingMessage): Promise<Payload> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return body ? (JSON.parse(body) as Payload) : {};
  const out: Payload = {};
  for (const m of body.matchAll(/name="([^"]+)"\r\n\r\n([\s\S]*?)\r\n--/g)) out[m[1]!] = /^[[{]/.test(m[2]!) ? JSON.parse(m[2]!) : m[2];
  return out;
}
