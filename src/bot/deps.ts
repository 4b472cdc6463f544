import type { Clock } from '../clock.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Notifier } from '../notify.js';
import type { createReplyPublisher } from '../replies/publish.js';
import type { DraftWriter } from './draft.js';
import type { Gazetteer } from '../routing/territory.js';

/** What the staff bot's features need: a small slice of the App plus the outbox's wake-up. */
export interface BotDeps {
  db: Db;
  installation: Installation;
  clock: Clock;
  log: Logger;
  notifier: Notifier;
  publisher: ReturnType<typeof createReplyPublisher>;
  drafts: DraftWriter;
  gazetteer: Gazetteer;
  /** Deadline from a moment and SLA hours (the installation's calendar and mode). */
  deadline: (from: Date, hours: number) => Date;
  /** Something was queued in the outbox: the sender should look now. */
  queued: () => void;
  /** The bot's @username, for invite links (from getMe). */
  botUsername: () => string;
}
