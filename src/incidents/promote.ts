import { and, eq, isNull } from 'drizzle-orm';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { incidentEvents, incidents, labels, posts } from '../db/schema.js';
import { route } from '../routing/route.js';
import { territoryLabel, type Gazetteer } from '../routing/territory.js';
import { UserFacingError } from './decisions.js';

/**
 * A moderator says a post the classifier set aside is an incident: a new incident is
 * opened for it (status new, to be triaged like any other), the post is re-pointed, and
 * the correction is kept as a training label — all in one transaction. Returns the incident id.
 */
export async function promoteToIncident(
  d: { db: Db; installation: Installation; gazetteer: Gazetteer; deadline: (from: Date, hours: number) => Date },
  input: { postId: number; actor: string; at: Date },
): Promise<number> {
  return d.db.transaction(async (tx) => {
    const [post] = await tx.select().from(posts).where(and(eq(posts.id, input.postId), isNull(posts.incidentId))).for('update');
    if (!post) throw new UserFacingError('эта публикация уже стала инцидентом');
    const territory = d.gazetteer.find(post.text);
    const decision = route(d.installation, { text: post.text, topic: null, territory });
    const [row] = await tx
      .insert(incidents)
      .values({
        status: 'new', kind: 'complaint', departmentCode: decision.department, territory: territoryLabel(territory), needsReview: true, routeReason: decision.reason,
        channel: post.channel, firstPostId: post.id, summary: post.text.replace(/\s+/g, ' ').slice(0, 160), classifiedBy: 'moderator',
        // Detected when it was fetched (the classifier then set it aside): the clocks run from there.
        detectedAt: post.fetchedAt, deadlineAt: d.deadline(post.fetchedAt, d.installation.sla.default_hours), updatedAt: input.at,
      })
      .returning({ id: incidents.id });
    await tx.update(posts).set({ incidentId: row!.id, decidedKind: 'complaint' }).where(eq(posts.id, post.id));
    await tx.insert(incidentEvents).values({ incidentId: row!.id, at: input.at, actor: input.actor, type: 'created', toStatus: 'new', data: { postId: post.id, promotedFrom: post.decidedKind, by: 'moderator' } });
    await tx.insert(labels).values({ text: post.text, kind: 'complaint', origin: 'moderator', incidentId: row!.id, createdAt: input.at });
    return row!.id;
  });
}
