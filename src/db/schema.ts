import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { OPEN_STATUSES } from '../domain/status.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Something to poll: one row per configured source, with its durable cursor and lease. */
export const sources = pgTable(
  'sources',
  {
    id: serial('id').primaryKey(),
    channel: text('channel').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference').notNull(),
    name: text('name'),
    enabled: boolean('enabled').notNull().default(true),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    intervalSec: integer('interval_sec').notNull().default(300),
    cursor: text('cursor'),
    /** ok | backoff | broken */
    status: text('status').notNull().default('ok'),
    backoffUntil: ts('backoff_until'),
    failures: integer('failures').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    lastPollAt: ts('last_poll_at'),
    lastSuccessAt: ts('last_success_at'),
    lastError: text('last_error'),
    lastErrorAt: ts('last_error_at'),
    postsSeen: integer('posts_seen').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sources_channel_kind_ref').on(t.channel, t.kind, t.reference)],
);

/** Every post and comment read, exactly once per channel + external id. */
export const posts = pgTable(
  'posts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    sourceId: integer('source_id').references(() => sources.id),
    kind: text('kind').notNull().default('post'),
    parentExternalId: text('parent_external_id'),
    repostOfExternalId: text('repost_of_external_id'),
    authorId: text('author_id'),
    authorName: text('author_name'),
    url: text('url'),
    text: text('text').notNull(),
    publishedAt: ts('published_at').notNull(),
    fetchedAt: ts('fetched_at').notNull(),
    raw: jsonb('raw'),
    replyTarget: jsonb('reply_target').$type<Record<string, string | number | boolean | null>>(),
    /** complaint | question | request | suggestion | thanks | noise; null until processed. */
    decidedKind: text('decided_kind'),
    incidentId: integer('incident_id'),
    /** Set in the same transaction as the incident decision: null = still to process. */
    processedAt: ts('processed_at'),
    processError: text('process_error'),
  },
  (t) => [
    uniqueIndex('posts_channel_external').on(t.channel, t.externalId),
    index('posts_unprocessed').on(t.id).where(sql`processed_at is null`),
    index('posts_incident').on(t.incidentId),
    // Reports (#8): posts read in a period.
    index('posts_fetched').on(t.fetchedAt),
  ],
);

export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  chatId: text('chat_id'),
  active: boolean('active').notNull().default(true),
});

export const topics = pgTable(
  'topics',
  {
    id: serial('id').primaryKey(),
    groupName: text('group_name').notNull(),
    name: text('name').notNull(),
    departmentCode: text('department_code'),
    priority: text('priority').notNull().default('normal'),
    slaHours: real('sla_hours'),
  },
  (t) => [uniqueIndex('topics_group_name').on(t.groupName, t.name)],
);

/** Human incident numbers: one sequence, safe with several instances on one Postgres. */
export const incidentNumberSeq = pgSequence('incident_number_seq', { startWith: 1 });

/** One problem, possibly reported by several posts. */
export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    /** Human number shown in the bot and reports (№ 123). */
    number: integer('number')
      .notNull()
      .unique()
      .default(sql`nextval('incident_number_seq')`),
    status: text('status').notNull(),
    kind: text('kind').notNull(),
    topic: text('topic'),
    topicGroup: text('topic_group'),
    departmentCode: text('department_code'),
    territory: text('territory'),
    priority: text('priority').notNull().default('normal'),
    confidence: real('confidence'),
    classifiedBy: text('classified_by'),
    needsReview: boolean('needs_review').notNull().default(false),
    routeReason: text('route_reason'),
    channel: text('channel').notNull(),
    firstPostId: bigint('first_post_id', { mode: 'number' }).notNull(),
    postsCount: integer('posts_count').notNull().default(1),
    summary: text('summary').notNull(),
    isRepeat: boolean('is_repeat').notNull().default(false),
    repeatOf: integer('repeat_of'),
    duplicateOf: integer('duplicate_of'),
    rejectReason: text('reject_reason'),
    redirectedTo: text('redirected_to'),
    outcome: text('outcome'),
    detectedAt: ts('detected_at').notNull(),
    deadlineAt: ts('deadline_at'),
    followupDeadlineAt: ts('followup_deadline_at'),
    firstResponseAt: ts('first_response_at'),
    answeredAt: ts('answered_at'),
    closedAt: ts('closed_at'),
    updatedAt: ts('updated_at').notNull(),
    /** Reports and history (#8): the number the incumbent system gave an imported incident. */
    externalNumber: text('external_number'),
    /** Reports and history (#8): where the problem is, as the incumbent system's columns give it. */
    address: jsonb('address').$type<IncidentAddress>(),
    /**
     * Reports (#8): working minutes (production calendar) from detection to the first public
     * answer — a cache the reports fill for answered incidents (src/reports/work-time.ts) so a
     * year's medians read a column instead of two calendar lookups per incident. A trigger
     * clears it when either moment changes.
     */
    firstResponseWorkMin: doublePrecision('first_response_work_min'),
  },
  (t) => [
    index('incidents_status').on(t.status),
    index('incidents_detected').on(t.detectedAt),
    index('incidents_department').on(t.departmentCode),
    // Reports (#8): every report filters by detection time, alone or with one of these.
    index('incidents_status_detected').on(t.status, t.detectedAt),
    index('incidents_department_detected').on(t.departmentCode, t.detectedAt),
    index('incidents_group_detected').on(t.topicGroup, t.detectedAt),
    // "Open and past the deadline now", whatever the detection date.
    // (The status list is OPEN_STATUSES, one source of truth; changing it needs a migration.)
    index('incidents_open_deadline').on(t.deadlineAt).where(sql.raw(`status in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`)),
    uniqueIndex('incidents_external_number').on(t.externalNumber),
    // Answered incidents whose working minutes the reports have not cached yet.
    index('incidents_work_min_missing').on(t.detectedAt).where(sql`first_response_at is not null and first_response_work_min is null`),
  ],
);

/** Reports and history (#8): address columns of the incumbent system's export. */
export interface IncidentAddress {
  region?: string;
  municipality?: string;
  settlement?: string;
  street?: string;
  house?: string;
}

/** Every change of an incident: who, when, what. Reports are computed from these. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: ts('at').notNull(),
    /** `system`, `pipeline`, `user:<telegram id>`, `job:<name>` */
    actor: text('actor').notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('incident_events_incident').on(t.incidentId), index('incident_events_at').on(t.at)],
);

/** Staff who may act in the bot. Only invited users act. */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  telegramId: bigint('telegram_id', { mode: 'number' }).unique(),
  name: text('name'),
  /** admin | moderator | department | press | manager */
  role: text('role').notNull(),
  departmentCode: text('department_code'),
  active: boolean('active').notNull().default(true),
  inviteCode: text('invite_code').unique(),
  invitedAt: ts('invited_at').notNull().defaultNow(),
});

/** Training data: imported history and every moderator decision. */
export const labels = pgTable(
  'labels',
  {
    id: serial('id').primaryKey(),
    text: text('text').notNull(),
    kind: text('kind'),
    topic: text('topic'),
    departmentCode: text('department_code'),
    /** import | moderator */
    origin: text('origin').notNull(),
    incidentId: integer('incident_id'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('labels_incident').on(t.incidentId)],
);

/** Answers published (or to be published) back into the network. */
export const replies = pgTable(
  'replies',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    postId: bigint('post_id', { mode: 'number' }),
    text: text('text').notNull(),
    isInterim: boolean('is_interim').notNull().default(false),
    /** Staff-bot file ids of photos to publish with the text (fetched from Telegram when publishing). */
    photos: jsonb('photos').$type<string[]>().notNull().default([]),
    /** pending | published | failed */
    status: text('status').notNull().default('pending'),
    /** Stable across retries; sent to the network (VK guid / random_id). */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    externalId: text('external_id'),
    url: text('url'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    publishedAt: ts('published_at'),
  },
  (t) => [index('replies_incident').on(t.incidentId)],
);

/** Trained classifier models; the newest active one is loaded at start. */
export const classifierModels = pgTable('classifier_models', {
  id: serial('id').primaryKey(),
  version: integer('version').notNull(),
  trainedAt: ts('trained_at').notNull(),
  samples: integer('samples').notNull(),
  metrics: jsonb('metrics').$type<Record<string, unknown>>(),
  /** Serialized model (JSON). */
  data: text('data').notNull(),
  active: boolean('active').notNull().default(true),
});

/** LLM answers by text hash, so the same text never costs twice. */
export const llmCache = pgTable('llm_cache', {
  key: text('key').primaryKey(),
  model: text('model').notNull(),
  response: jsonb('response').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** Once-only notices (e.g. "source broken" to admins) and other small durable flags. */
export const notices = pgTable('notices', {
  key: text('key').primaryKey(),
  createdAt: ts('created_at').notNull(),
});

// ─── Telegram staff workflow (#7): outbox, cards, callbacks, invites, seen chats ───

/**
 * Every staff message (cards, edits, reminders, digests, notices) is a row here first;
 * the sender drains it keeping Telegram's limits. `key` makes a message once-only across
 * restarts and instances. Edits of one card coalesce into one pending row (`card_edit_pending`).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: text('chat_id').notNull(),
    /** send | edit | photo | document | answer */
    kind: text('kind', { enum: ['send', 'edit', 'photo', 'document'] }).notNull(),
    cardId: integer('card_id'),
    /** Bot API payload without chat_id (and without message_id for card edits). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** Attachment bytes (base64) for photo/document rows. */
    attachment: text('attachment'),
    /** What a reply to this message means (the bot asked for a text): see src/bot/prompts.ts. */
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    key: text('key').unique(),
    /** pending | sending | sent | failed */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed', 'unconfirmed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    notBefore: ts('not_before').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: ts('claimed_until'),
    messageId: bigint('message_id', { mode: 'number' }),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_due').on(t.notBefore, t.id).where(sql`status = 'pending'`),
    uniqueIndex('outbox_card_edit_pending').on(t.cardId).where(sql`kind = 'edit' and status = 'pending'`),
    index('outbox_chat_message').on(t.chatId, t.messageId),
    index('outbox_chat_open').on(t.chatId, t.id).where(sql`status in ('pending', 'sending')`),
  ],
);

/** One card per incident, chat and kind: the message the bot edits in place as the incident moves on. */
export const cards = pgTable(
  'cards',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id').notNull(),
    chatId: text('chat_id').notNull(),
    /** moderator | department | press */
    kind: text('kind', { enum: ['moderator', 'department', 'press'] }).notNull(),
    messageId: bigint('message_id', { mode: 'number' }),
    /** Which buttons the card shows: `main` or a pick list (moderators' topic/department/reason lists). */
    view: text('view').notNull().default('main'),
    /** Hash of the last rendered text + buttons: an unchanged card is not edited. */
    renderedHash: text('rendered_hash'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('cards_incident_chat_kind').on(t.incidentId, t.chatId, t.kind), index('cards_message').on(t.chatId, t.messageId)],
);

/** Button payloads: callback_data carries only `id`; the action is looked up here, never trusted from the client. */
export const botCallbacks = pgTable('bot_callbacks', {
  id: text('id').primaryKey(),
  action: text('action').notNull(),
  incidentId: integer('incident_id'),
  arg: text('arg'),
  createdAt: ts('created_at').notNull(),
});

/** One-time invites: `t.me/<bot>?start=<code>`. */
export const invites = pgTable('invites', {
  code: text('code').primaryKey(),
  role: text('role', { enum: ['admin', 'moderator', 'department', 'press', 'manager'] }).notNull(),
  departmentCode: text('department_code'),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  usedBy: bigint('used_by', { mode: 'number' }),
});

/** The department's answer and the press service's public draft for an incident. */
export const answerDrafts = pgTable('answer_drafts', {
  incidentId: integer('incident_id').primaryKey(),
  departmentText: text('department_text').notNull(),
  /** Telegram file_ids of the department's photos. */
  photos: jsonb('photos').$type<string[]>().notNull().default([]),
  draft: text('draft').notNull(),
  /** template | llm | press */
  draftBy: text('draft_by').notNull(),
  answeredBy: text('answered_by').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** Chats the staff bot has seen (`otklik chats`). */
export const seenChats = pgTable('seen_chats', {
  chatId: text('chat_id').primaryKey(),
  title: text('title'),
  type: text('type').notNull(),
  /** member | administrator | left | kicked … (the bot's own status) */
  botStatus: text('bot_status'),
  firstSeenAt: ts('first_seen_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
});

/** Posts the classifier decided are not incidents, kept for the moderators' digest unless the trained model was sure. */
export const setAside = pgTable('set_aside', {
  postId: bigint('post_id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  by: text('by').notNull(),
  confidence: real('confidence'),
  reason: text('reason'),
  createdAt: ts('created_at').notNull(),
  /** When the digest showed it to moderators; null = still to show. */
  shownAt: ts('shown_at'),
});
// ── Reports and history (#8) ─────────────────────────────────────────────────
/**
 * Co-executors: departments besides `incidents.department_code` that answer for an
 * incident (the incumbent system's «Исполнитель» may name several). The department
 * table of a report counts an incident once for each of its executors.
 */
export const incidentExecutors = pgTable(
  'incident_executors',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id),
    /** A department code when it matches one, else the name as given. */
    department: text('department').notNull(),
    /**
     * The incident's detection time, copied by the database (triggers on insert here and on
     * a change in incidents), so a report finds a period's co-executors by an index range
     * instead of joining every incident of the period.
     */
    detectedAt: ts('detected_at'),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.department] }), index('incident_executors_detected').on(t.detectedAt)],
);
// ── Several instances (#12) ──────────────────────────────────────────────────
/** Scheduled job runs claimed across instances: one row per job and due time (src/jobs/job-runs.ts). */
export const jobRuns = pgTable('job_runs', {
  /** `<job>:<due time ISO>` as node-cron's distributed mode names a run. */
  key: text('key').primaryKey(),
  instance: text('instance').notNull(),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
});

/**
 * Named leases among instances sharing one Postgres (today: `outbox`, the one instance sending
 * to Telegram). A lease is held while renewed before `until` (database time) and taken over after.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  until: ts('until').notNull(),
});

