export { createTelegramBotAdapter, type TelegramBotAdapterOptions } from './adapter.js';
export { AmbiguousDeliveryError } from './errors.js';
export { CITIZEN_WELCOME } from './citizen.js';
export { escapeHtml } from '../../../src/bot/html.js';
export type { BotRole } from './types.js';
