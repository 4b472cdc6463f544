/** Channels otklik reads. `file` is the import/demo channel. */
export const CHANNELS = ['vk', 'ok', 'telegram', 'file'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a post is inside its network. */
export type PostKind = 'post' | 'comment' | 'message' | 'suggested';

/**
 * Where a reply to a post must go. Adapters fill it when they read the post,
 * so replying later needs no extra lookups (VK owner/post ids, Telegram chat and
 * message ids, OK topic id...). Opaque to everything but the adapter.
 */
export type ReplyTarget = Record<string, string | number | boolean | null>;

/** A post or comment as an adapter read it, before normalization and storage. */
export interface RawPost {
  /** The network the post came from, when it differs from the adapter's own (file imports). */
  channel?: Channel;
  /** Unique inside the channel: VK `-1_5`, `-1_5_c77`; Telegram `-100123/45`; OK topic id. */
  externalId: string;
  kind: PostKind;
  /** For comments: externalId of the post they are under. */
  parentExternalId?: string | null;
  /** For reposts: externalId of the original, so the pipeline can merge them. */
  repostOfExternalId?: string | null;
  authorId?: string | null;
  authorName?: string | null;
  url?: string | null;
  /** Text as the network gave it (may hold HTML fragments and entities). */
  text: string;
  publishedAt: Date;
  /** The network's own JSON for the item, kept for audit and re-processing. */
  raw: unknown;
  replyTarget?: ReplyTarget | null;
  /** Place hints from the network (VK geo, Telegram location). */
  geo?: { lat: number; lon: number } | null;
}
