import { eq } from 'drizzle-orm';
import type { App } from '../app/app.js';
import { incidents, replies } from '../db/schema.js';
import { transition } from '../incidents/transition.js';

/** What a simulated department does with an incident. */
type Behaviour = 'on_time' | 'late' | 'interim' | 'never';

interface Plan {
  incidentId: number;
  moderateAt: Date;
  answerAt: Date | null;
  behaviour: Behaviour;
  moderated: boolean;
  interimDone: boolean;
}

const MIN = 60_000;

/** Deterministic "random" in [0,1) from an incident number, so every demo run is the same. */
function rand(n: number, salt: number): number {
  const x = Math.sin(n * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function behaviourOf(n: number): Behaviour {
  const r = rand(n, 1);
  return r < 0.58 ? 'on_time' : r < 0.78 ? 'late' : r < 0.9 ? 'interim' : 'never';
}

/**
 * The simulated people of the demo week: moderators confirm each new incident
 * within the hour, departments answer on time, late, with an interim answer, or
 * never, and the press service publishes the answer (recorded as a reply).
 */
export function createSimulatedStaff(app: App) {
  const plans = new Map<number, Plan>();

  function planFor(row: typeof incidents.$inferSelect): Plan {
    const behaviour = behaviourOf(row.number);
    const sla = (row.deadlineAt!.getTime() - row.detectedAt.getTime()) / MIN;
    const factor = behaviour === 'on_time' ? 0.15 + rand(row.number, 2) * 0.7 : behaviour === 'late' ? 1.1 + rand(row.number, 3) : 0.5;
    return {
      incidentId: row.id,
      moderateAt: new Date(row.detectedAt.getTime() + (10 + rand(row.number, 4) * 40) * MIN),
      answerAt: behaviour === 'never' ? null : new Date(row.detectedAt.getTime() + sla * factor * MIN),
      behaviour,
      moderated: false,
      interimDone: false,
    };
  }

  async function publish(incidentId: number, text: string, interim: boolean, at: Date): Promise<void> {
    await app.db.insert(replies).values({
      incidentId, text, isInterim: interim, status: 'published', idempotencyKey: `demo:${incidentId}:${interim ? 'i' : 'a'}`, createdBy: 'demo:press', createdAt: at, publishedAt: at,
    });
  }

  async function act(plan: Plan, now: Date): Promise<void> {
    const actor = 'demo:staff';
    if (!plan.moderated && now >= plan.moderateAt) {
      await transition(app.db, { incidentId: plan.incidentId, to: 'assigned', actor: 'demo:moderator', at: now });
      plan.moderated = true;
    }
    if (!plan.moderated || !plan.answerAt) return;
    if (plan.behaviour === 'interim' && !plan.interimDone && now >= plan.answerAt) {
      await transition(app.db, { incidentId: plan.incidentId, to: 'in_work', actor, at: now });
      await publish(plan.incidentId, 'Ваше обращение передано в работу, ответ дадим после выезда специалистов.', true, now);
      await transition(app.db, { incidentId: plan.incidentId, to: 'interim', actor: 'demo:press', at: now, followupDeadline: new Date(now.getTime() + app.installation.sla.interim_days * 24 * 60 * MIN) });
      plan.interimDone = true;
      plan.answerAt = new Date(now.getTime() + 2 * 24 * 60 * MIN);
      return;
    }
    if (plan.behaviour !== 'interim' || plan.interimDone) {
      if (now < plan.answerAt) return;
      await publish(plan.incidentId, 'Здравствуйте! Специалисты проверили информацию, меры приняты.', false, now);
      await transition(app.db, { incidentId: plan.incidentId, to: 'answered', actor: 'demo:press', at: now, outcome: 'Поддержано' });
      plan.answerAt = null;
    }
  }

  return {
    /** One tick of the simulated staff at the app clock's current time. */
    async tick(): Promise<void> {
      const now = app.clock.now();
      const open = await app.db.select().from(incidents).where(eq(incidents.status, 'new'));
      for (const row of open) if (!plans.has(row.id) && row.deadlineAt) plans.set(row.id, planFor(row));
      for (const plan of plans.values()) await act(plan, now);
    },
  };
}
