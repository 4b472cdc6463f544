import { createClassifier } from '../classify/index.js';
import { isIncidentKind, type Kind } from '../domain/classification.js';
import type { CommandDeps } from './types.js';

const KIND_RU: Record<Kind, string> = {
  complaint: 'жалоба',
  question: 'вопрос',
  request: 'просьба',
  suggestion: 'предложение',
  thanks: 'благодарность',
  noise: 'не обращение (шум)',
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

const BY_RU = { model: 'обученная модель', llm: 'LLM', rules: 'правила по ключевым словам', moderator: 'модератор', none: '—' };

/** `otklik classify "text"`: prints the decision and why, one fact per line. */
export async function classifyCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const text = argv.filter((a) => !a.startsWith('--')).join(' ').trim();
  if (!text) return deps.out('usage: otklik classify "текст обращения"'), 2;
  const classifier = await createClassifier(deps);
  const c = await classifier.classify(text);
  const deptName = (code: string) => deps.installation.departments.find((d) => d.code === code)?.name ?? code;
  const dept = c.department ? deptName(c.department) : null;
  deps.out(`вид: ${KIND_RU[c.kind]}${isIncidentKind(c.kind) ? ' (инцидент)' : ''}`);
  deps.out(`тема: ${c.topic ? `«${c.topic}»` : 'не определена'}`);
  deps.out(`ведомство (подсказка): ${dept ?? 'не определено'}`);
  deps.out(`уверенность: ${Math.round(c.confidence * 100)}%, решил: ${BY_RU[c.by]}`);
  if (c.topTopics?.length) deps.out(`темы: ${c.topTopics.map((t) => `«${t.name}» ${pct(t.p)}`).join(', ')}`);
  if (c.topDepartments?.length) deps.out(`ведомства: ${c.topDepartments.map((d) => `${deptName(d.code)} ${pct(d.p)}`).join(', ')}`);
  deps.out(`модератору: ${c.needsReview ? 'нужна проверка' : 'можно подтвердить'}`);
  if (c.explanation) deps.out(`почему: ${c.explanation}`);
  return 0;
}
