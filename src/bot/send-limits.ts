/**
 * Telegram's send limits, kept per process on an injected clock: about one message a
 * second per chat, at most 20 a minute to one group, about 30 a second overall
 * (Bot FAQ). Edits count like messages. Pure bookkeeping: the sender asks which chats
 * are busy and how many sends the global budget allows now.
 */
export interface SendLimitsOptions {
  perChatMs?: number;
  groupPerMinute?: number;
  globalPerSecond?: number;
}

export interface SendLimits {
  /** Chats that may not be sent to at `now`, with the moment each frees up. */
  busy(now: number): Map<string, number>;
  /** Sends the global budget allows at `now`. */
  globalBudget(now: number): number;
  /** The earliest moment anything may be sent again (global window), or `now`. */
  globalFreeAt(now: number): number;
  /** Records a send (or a 429) to `chatId` at `now`. */
  record(chatId: string, now: number): void;
  /**
   * The answer to a send to `chatId` came at `now`. Telegram counts arrivals, and the request
   * arrived somewhere between `record` and this moment: the next send waits from here, so a
   * slow request (a loaded machine, a slow network) never lands closer than the limit.
   */
  answered(chatId: string, now: number): void;
  /** Telegram said "retry after": the chat is closed until `until`. */
  pause(chatId: string, until: number): void;
}

const isGroup = (chatId: string) => chatId.startsWith('-');

export function createSendLimits(opts: SendLimitsOptions = {}): SendLimits {
  // A little over the nominal limits: a request's arrival jitters, and Telegram counts arrivals.
  const perChatMs = opts.perChatMs ?? 1050;
  const groupWindowMs = 61_000;
  const groupPerMinute = opts.groupPerMinute ?? 20;
  const globalPerSecond = opts.globalPerSecond ?? 30;
  const lastByChat = new Map<string, number>();
  const groupWindow = new Map<string, number[]>();
  const pausedUntil = new Map<string, number>();
  let global: number[] = [];

  function freeAt(chatId: string, now: number): number {
    let at = (lastByChat.get(chatId) ?? -Infinity) + perChatMs;
    const paused = pausedUntil.get(chatId);
    if (paused !== undefined) at = Math.max(at, paused);
    const win = groupWindow.get(chatId)?.filter((t) => t > now - groupWindowMs);
    if (win && win.length >= groupPerMinute) at = Math.max(at, win[win.length - groupPerMinute]! + groupWindowMs);
    return at;
  }

  return {
    busy(now) {
      const out = new Map<string, number>();
      for (const chatId of new Set([...lastByChat.keys(), ...pausedUntil.keys()])) {
        const at = freeAt(chatId, now);
        if (at > now) out.set(chatId, at);
        else if (now - (lastByChat.get(chatId) ?? 0) > groupWindowMs && (pausedUntil.get(chatId) ?? 0) <= now) forget(chatId);
      }
      return out;
    },
    globalBudget(now) {
      global = global.filter((t) => t > now - 1000);
      return Math.max(0, globalPerSecond - global.length);
    },
    globalFreeAt(now) {
      global = global.filter((t) => t > now - 1000);
      return global.length >= globalPerSecond ? global[global.length - globalPerSecond]! + 1000 : now;
    },
    record(chatId, now) {
      lastByChat.set(chatId, now);
      global.push(now);
      if (isGroup(chatId)) {
        const win = (groupWindow.get(chatId) ?? []).filter((t) => t > now - groupWindowMs);
        win.push(now);
        groupWindow.set(chatId, win);
      }
    },
    answered(chatId, now) {
      if (!lastByChat.has(chatId)) return;
      lastByChat.set(chatId, Math.max(now, lastByChat.get(chatId)!));
      const win = groupWindow.get(chatId);
      if (win?.length) win[win.length - 1] = Math.max(now, win[win.length - 1]!);
    },
    pause(chatId, until) {
      pausedUntil.set(chatId, Math.max(until, pausedUntil.get(chatId) ?? 0));
    },
  };

  function forget(chatId: string): void {
    lastByChat.delete(chatId);
    groupWindow.delete(chatId);
    pausedUntil.delete(chatId);
  }
}
