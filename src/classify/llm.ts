import { createHash } from 'node:crypto';
import { and, eq, gte, sql } from 'drizzle-orm';
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Env } from '../config/env.js';
import type { Installation } from '../config/installation.js';
import type { Db } from '../db/client.js';
import { llmCache } from '../db/schema.js';
import { KINDS, type Kind } from '../domain/classification.js';
import type { Logger } from '../log.js';
import { buildSystemPrompt, buildUserMessage, PROMPT_VERSION, type Example } from './prompt.js';

/** A validated LLM answer: every value is inside the installation's taxonomy. */
export interface LlmAnswer {
  kind: Kind;
  topic: string | null;
  department: string | null;
  confidence: number;
  reason: string;
  cached: boolean;
}

export interface LlmDeps {
  installation: Installation;
  db: Db;
  env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OPENAI_CONCURRENCY' | 'OPENAI_DAILY_LIMIT' | 'OPENAI_TIMEOUT_MS'>;
  clock: Clock;
  log?: Logger;
  /** Few-shot examples for a text (most similar labelled texts). */
  examples?: (text: string) => Promise<Example[]>;
  /** SDK retries on 429/5xx/timeouts; the caller falls back anyway, so keep it small. */
  maxRetries?: number;
}

export interface LlmClassifier {
  /** The validated answer, or null when the LLM failed, refused, or left the taxonomy. Never throws. */
  ask(text: string): Promise<LlmAnswer | null>;
  /** Calls made today (for logs and tests). */
  callsToday(): number;
}

/** True when an OpenAI-compatible endpoint is configured. */
export function llmConfigured(env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>): boolean {
  return Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
}

/** zod schema of an answer, built from this installation's allowed values. */
export function answerSchema(installation: Installation) {
  const names = installation.topics.map((t) => t.name);
  const codes = installation.departments.map((d) => d.code) as [string, ...string[]];
  const topic = names.length ? z.enum(names as [string, ...string[]]).nullable() : z.null();
  return z.object({
    kind: z.enum(KINDS),
    topic,
    department: z.enum(codes).nullable().default(null),
    confidence: z.coerce.number().min(0).max(1),
    reason: z.string().max(1000).default(''),
  });
}

export function cacheKey(model: string, text: string): string {
  return createHash('sha256').update(`${PROMPT_VERSION}\n${model}\n${text}`).digest('hex');
}

/** Extracts the first JSON object of a reply (some servers wrap it in prose or a code fence). */
function parseJson(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('no JSON object in the answer');
  return JSON.parse(content.slice(start, end + 1));
}

export function createLlmClassifier(deps: LlmDeps): LlmClassifier {
  const { env, db, clock, log, installation } = deps;
  const client = new OpenAI({
    apiKey: env.OPENAI_API_KEY ?? 'not-needed',
    baseURL: env.OPENAI_BASE_URL,
    timeout: env.OPENAI_TIMEOUT_MS,
    maxRetries: deps.maxRetries ?? 1,
  });
  const limit = pLimit(env.OPENAI_CONCURRENCY);
  const schema = answerSchema(installation);
  const budget = { day: '', used: -1 };

  async function reserveCall(): Promise<boolean> {
    const now = clock.now();
    const day = now.toISOString().slice(0, 10);
    if (budget.day !== day || budget.used < 0) {
      // Seed the counter from today's cached answers so a restart does not reset the limit.
      const [row] = await db.select({ n: sql<number>`count(*)` }).from(llmCache).where(and(eq(llmCache.model, env.OPENAI_MODEL), gte(llmCache.createdAt, new Date(`${day}T00:00:00Z`))));
      Object.assign(budget, { day, used: Number(row?.n ?? 0) });
    }
    if (budget.used >= env.OPENAI_DAILY_LIMIT) return false;
    budget.used++;
    return true;
  }

  async function cached(key: string): Promise<unknown | null> {
    const [row] = await db.select({ response: llmCache.response }).from(llmCache).where(eq(llmCache.key, key)).limit(1);
    return row?.response ?? null;
  }

  async function call(text: string): Promise<unknown> {
    const examples = deps.examples ? await deps.examples(text).catch(() => []) : [];
    const res = await client.chat.completions.create({
      model: env.OPENAI_MODEL,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: buildSystemPrompt(installation, examples) },
        { role: 'user', content: buildUserMessage(text) },
      ],
    });
    return parseJson(res.choices[0]?.message?.content ?? '');
  }

  async function ask(text: string): Promise<LlmAnswer | null> {
    const key = cacheKey(env.OPENAI_MODEL, text);
    try {
      const hit = await cached(key);
      if (hit) {
        const ok = schema.safeParse(hit);
        if (ok.success) return { ...ok.data, cached: true };
      }
      if (!(await reserveCall())) {
        log?.warn({ limit: env.OPENAI_DAILY_LIMIT }, 'LLM daily call limit reached; falling back');
        return null;
      }
      const raw = await limit(() => call(text));
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        log?.warn({ issue: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path }, 'LLM answer outside the taxonomy; ignored');
        return null;
      }
      await db.insert(llmCache).values({ key, model: env.OPENAI_MODEL, response: parsed.data, createdAt: clock.now() }).onConflictDoNothing();
      return { ...parsed.data, cached: false };
    } catch (e) {
      log?.warn({ err: (e as Error).message, status: (e as { status?: number }).status }, 'LLM classification failed; falling back');
      return null;
    }
  }

  return { ask, callsToday: () => Math.max(budget.used, 0) };
}
