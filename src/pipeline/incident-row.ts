import type { incidents } from '../db/schema.js';
import type { Classification } from '../domain/classification.js';
import { route } from '../routing/route.js';
import { territoryLabel } from '../routing/territory.js';
import { summarize } from './normalize.js';
import type { ProcessDeps } from './process.js';
import type { PendingPost } from './steps.js';

type PostRow = PendingPost;

/** The row of a new incident for a post, and the data of its `created` event: topic, territory, route, deadline. */
export function newIncident(deps: ProcessDeps, post: PostRow, cls: Classification, now: Date, repeatOf: number | null) {
  const cfg = deps.installation;
  const topic = cls.topic ? cfg.topics.find((t) => t.name === cls.topic) : undefined;
  const territory = deps.gazetteer.find(post.text);
  const decision = route(cfg, { text: post.text, topic: topic?.name ?? null, suggested: cls.department ?? null, territory });
  const slaHours = topic?.sla_hours ?? cfg.sla.default_hours;
  const values = {
    status: 'new',
    kind: cls.kind,
    topic: topic?.name ?? null,
    topicGroup: topic?.group ?? null,
    departmentCode: decision.department,
    territory: territoryLabel(territory),
    // An LLM's topic never raises the priority on its own (a post can talk an LLM into anything).
    priority: cls.by === 'llm' && topic?.priority === 'high' ? 'normal' : (topic?.priority ?? 'normal'),
    confidence: cls.confidence,
    classifiedBy: cls.by,
    needsReview: cls.needsReview || !topic || cls.by === 'llm',
    routeReason: decision.reason,
    channel: post.channel,
    firstPostId: post.id,
    summary: summarize(post.text),
    isRepeat: repeatOf !== null,
    repeatOf,
    detectedAt: now,
    deadlineAt: deps.deadline(now, slaHours),
    updatedAt: now,
  } satisfies typeof incidents.$inferInsert;
  const event = {
    postId: post.id,
    kind: cls.kind,
    topic: topic?.name ?? null,
    confidence: cls.confidence,
    by: cls.by,
    department: decision.department,
    reason: decision.reason,
    explanation: cls.explanation ?? null,
    // The moderators' card offers these as one-tap choices.
    topTopics: cls.topTopics ?? null,
    topDepartments: cls.topDepartments ?? null,
    repeatOf,
  };
  return { values, event };
}
