import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';

export interface DraftInput {
  territory: string;
  author: string | null;
  post: string;
  department: string;
  answer: string;
}

/** Writes the public answer from the post and the department's answer. Never throws: the template is the fallback. */
export interface DraftWriter {
  write(input: DraftInput): Promise<{ text: string; by: 'llm' | 'template' }>;
}

const PROMPT = fileURLToPath(new URL('../../prompts/draft-reply.md', import.meta.url));

/** The draft without an LLM: greeting, the department's answer as it is, thanks. */
export function templateDraft(input: DraftInput): string {
  const hello = input.author ? `Здравствуйте, ${input.author.split(/\s+/)[0]}!` : 'Здравствуйте!';
  const answer = input.answer.trim().replace(/([^.!?…])$/, '$1.');
  return `${hello} ${answer} Спасибо, что сообщили о проблеме.`;
}

export function fillPrompt(template: string, input: DraftInput): string {
  const values: Record<string, string> = { territory: input.territory, author: input.author ?? 'не известно', post: input.post, department: input.department, answer: input.answer };
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

/**
 * The LLM writer when OPENAI_API_KEY is set (prompt: prompts/draft-reply.md), otherwise
 * the template. A failed or empty LLM answer falls back to the template.
 */
export function createDraftWriter(env: Env, log: Logger): DraftWriter {
  if (!env.OPENAI_API_KEY) return { write: async (i) => ({ text: templateDraft(i), by: 'template' }) };
  const template = readFileSync(PROMPT, 'utf8');
  let client: Promise<import('openai').OpenAI> | null = null;
  const getClient = () =>
    (client ??= import('openai').then(({ OpenAI }) => new OpenAI({ apiKey: env.OPENAI_API_KEY, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}), timeout: env.OPENAI_TIMEOUT_MS, maxRetries: 1 })));
  return {
    async write(input) {
      try {
        const res = await (await getClient()).chat.completions.create({ model: env.OPENAI_MODEL, temperature: 0.3, messages: [{ role: 'user', content: fillPrompt(template, input) }] });
        const text = res.choices[0]?.message?.content?.trim();
        if (text) return { text, by: 'llm' };
      } catch (err) {
        log.warn({ err }, 'draft: LLM failed; using the template');
      }
      return { text: templateDraft(input), by: 'template' };
    },
  };
}
