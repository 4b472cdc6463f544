import { parseArgs } from 'node:util';
import { createClassifier } from '../classify/index.js';
import { isIncidentKind, type Kind } from '../domain/classification.js';
import { route } from '../routing/route.js';
import { createGazetteer, territoryLabel } from '../routing/territory.js';
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

const USAGE = 'usage: otklik classify "текст обращения" | otklik classify --csv FILE [--text-col text] [--out FILE]';

/**
 * `otklik classify "text"`: prints the decision, the ranked suggestions, and the route the
 * pipeline would take (routing rules, territory, default), one fact per line.
 * `--csv FILE`: the whole file, one JSON line a row (see classify-file.ts).
 */
export async function classifyCommand(deps: CommandDeps, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { csv: { type: 'string' }, xlsx: { type: 'string' }, 'text-col': { type: 'string', default: 'text' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const file = values.csv ?? values.xlsx;
  if (file) {
    const { classifyFileCommand } = await import('./classify-file.js');
    return classifyFileCommand(deps, { file, textCol: values['text-col'] ?? 'text', out: values.out });
  }
  const text = positionals.join(' ').trim();
  if (!text) return deps.out(USAGE), 2;
  const classifier = await createClassifier(deps);
  const c = await classifier.classify(text);
  const deptName = (code: string) => deps.installation.departments.find((d) => d.code === code)?.name ?? code;
  const dept = c.department ? deptName(c.department) : null;
  deps.out(`вид: ${KIND_RU[c.kind]}${isIncidentKind(c.kind) ? ' (инцидент)' : ''}`);
  deps.out(`тема: ${c.topic ? `«${c.topic}»` : 'не определена'}`);
  deps.out(`ведомство (подсказка классификатора): ${dept ?? 'не определено'}`);
  deps.out(`уверенность: ${pct(c.confidence)}, решил: ${BY_RU[c.by]}`);
  if (c.topTopics?.length) deps.out(`темы: ${c.topTopics.map((t) => `«${t.name}» ${pct(t.p)}`).join(', ')}`);
  if (c.topDepartments?.length) deps.out(`ведомства: ${c.topDepartments.map((d) => `${deptName(d.code)} ${pct(d.p)}`).join(', ')}`);
  const territory = createGazetteer(deps.installation.territory).find(text);
  deps.out(`территория: ${territoryLabel(territory) ?? 'не найдена'}`);
  if (isIncidentKind(c.kind)) {
    // As the pipeline routes a new incident: rules, the topic's department, this suggestion, the territory, the default.
    const decision = route(deps.installation, { text, topic: c.topic, suggested: c.department ?? null, territory });
    deps.out(`маршрут: ${decision.reason}`);
  } else {
    deps.out('маршрут: не нужен (не инцидент)');
  }
  deps.out(`модератору: ${c.needsReview ? 'нужна проверка' : 'можно подтвердить'}`);
  if (c.explanation) deps.out(`почему: ${c.explanation}`);
  return 0;
}
