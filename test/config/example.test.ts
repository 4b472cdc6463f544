import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ConfigError, loadInstallation } from '../../src/config/installation.js';
import { createFileAdapter } from '../../adapters/file/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configPath = join(root, 'config/example.yaml');
const feedPath = join(root, 'config/demo/feed.jsonl');
const demoConfigPath = join(root, 'config/demo/config.yaml');

describe('config/example.yaml', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'otklik-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Writes a mutated copy of the example config and returns its path. */
  function copyWith(mutate: (data: Record<string, unknown>) => void, name: string): string {
    const data = parseYaml(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    mutate(data);
    const path = join(tmp, name);
    writeFileSync(path, stringifyYaml(data));
    return path;
  }

  function loadError(path: string): ConfigError {
    try {
      loadInstallation(path);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error(`${path} was accepted`);
  }

  it('validates against the installation schema', () => {
    const cfg = loadInstallation(configPath);
    expect(cfg.timezone).toBe('Europe/Moscow');
    expect(cfg.territory.districts.map((d) => d.name)).toEqual(['Центральный', 'Железнодорожный', 'Сеймский']);
    expect(cfg.departments.length).toBeGreaterThanOrEqual(10);
    expect(cfg.topics.length).toBeGreaterThanOrEqual(30);
    expect(cfg.topics.length).toBeLessThanOrEqual(45);
    expect(cfg.sla).toMatchObject({ mode: 'working', work_start: '09:00', work_end: '18:00', default_hours: 8 });
  });

  it('has keyword stems the rules classifier can use', () => {
    const cfg = loadInstallation(configPath);
    for (const topic of cfg.topics) {
      expect(topic.keywords.length, topic.name).toBeGreaterThan(0);
      for (const k of topic.keywords) {
        expect(k, topic.name).toBe(k.toLowerCase());
        expect(k.length, `${topic.name}: "${k}" is too short`).toBeGreaterThanOrEqual(3);
      }
    }
    const names = cfg.topics.map((t) => `${t.group}/${t.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('enables no source (a first poll must not fill the database with demo posts)', () => {
    expect(loadInstallation(configPath).sources.filter((s) => s.enabled)).toEqual([]);
  });

  it('the demo config is the example with the bundled feed as its only source', () => {
    const demo = loadInstallation(demoConfigPath);
    expect(demo.sources).toEqual([expect.objectContaining({ channel: 'file', kind: 'jsonl', ref: 'config/demo/feed.jsonl', enabled: true })]);
    expect(existsSync(join(root, demo.sources[0]!.ref))).toBe(true);
    expect({ ...demo, sources: [] }).toEqual({ ...loadInstallation(configPath), sources: [] });
  });

  it('shows every channel and kind of source', () => {
    const cfg = loadInstallation(configPath);
    const kinds = new Set(cfg.sources.map((s) => `${s.channel}:${s.kind}`));
    for (const k of ['vk:wall', 'vk:comments', 'vk:search', 'ok:group', 'telegram:tme', 'telegram:bot']) expect(kinds).toContain(k);
  });

  it('rejects an unknown key with a one-line message naming it', () => {
    const path = copyWith((d) => ((d.sla as Record<string, unknown>).default_hourz = 8), 'bad-key.yaml');
    const err = loadError(path);
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('sla');
    expect(err.message).toContain('default_hourz');
  });

  it('rejects a wrong type with a one-line message naming the key', () => {
    const err = loadError(copyWith((d) => (d.departments = 5), 'bad-type.yaml'));
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/departments: .*array/);
  });

  it('rejects a topic routed to an unknown department', () => {
    const err = loadError(
      copyWith((d) => ((d.topics as Array<Record<string, unknown>>)[0]!.department = 'nowhere'), 'bad-ref.yaml'),
    );
    expect(err.message).toMatch(/topics\.0\.department: unknown department "nowhere"/);
  });
});

describe('config/demo/feed.jsonl', () => {
  type Line = Record<string, unknown>;
  const lines: Line[] = readFileSync(feedPath, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);
  const key = (channel: unknown, id: unknown) => `${String(channel)} ${String(id)}`;
  const byKey = new Map(lines.map((l) => [key(l.channel, l.external_id), l]));

  it('has at least 60 posts with the required fields', () => {
    expect(lines.length).toBeGreaterThanOrEqual(60);
    for (const l of lines) {
      const where = String(l.external_id);
      expect(['vk', 'ok', 'telegram'], where).toContain(l.channel);
      expect(['post', 'comment', 'message', 'suggested'], where).toContain(l.kind);
      expect(typeof l.external_id === 'string' && l.external_id.length > 0, where).toBe(true);
      expect(typeof l.text === 'string' && l.text.length > 0, where).toBe(true);
      expect(typeof l.raw === 'object' && l.raw !== null, where).toBe(true);
      for (const f of ['parent_external_id', 'repost_of', 'author_id', 'author_name', 'url']) {
        expect(f in l, `${where}: ${f}`).toBe(true);
        expect(l[f] === null || typeof l[f] === 'string', `${where}: ${f}`).toBe(true);
      }
      expect(String(l.published_at), where).toMatch(/^2026-11-(1[6-9]|2[0-2])T\d\d:\d\d:\d\d\+03:00$/);
      expect(Number.isNaN(Date.parse(String(l.published_at))), where).toBe(false);
    }
  });

  it('has unique (channel, external_id) pairs', () => {
    expect(byKey.size).toBe(lines.length);
  });

  it('points every parent and repost at an earlier line of the same channel', () => {
    for (const l of lines) {
      for (const ref of [l.parent_external_id, l.repost_of]) {
        if (ref === null) continue;
        const target = byKey.get(key(l.channel, ref));
        expect(target, `${String(l.external_id)} -> ${String(ref)}`).toBeDefined();
        expect(Date.parse(String(target!.published_at))).toBeLessThanOrEqual(Date.parse(String(l.published_at)));
      }
      if (l.kind === 'comment') expect(l.parent_external_id, String(l.external_id)).not.toBeNull();
    }
  });

  it('keeps raw consistent with the line', () => {
    for (const l of lines) {
      const raw = l.raw as Record<string, unknown>;
      const text = l.channel === 'ok' && l.kind === 'post' ? (raw.media as Array<{ text: string }>)[0]!.text : raw.text;
      expect(text, String(l.external_id)).toBe(l.text);
      const seconds = l.channel === 'ok' ? (raw.created_ms as number | undefined) ?? null : (raw.date as number);
      if (typeof seconds === 'number') {
        const ms = l.channel === 'ok' ? seconds : seconds * 1000;
        expect(ms, String(l.external_id)).toBe(Date.parse(String(l.published_at)));
      }
    }
  });

  it('covers every channel and kind the demo shows', () => {
    const shapes = new Set(lines.map((l) => `${String(l.channel)}:${String(l.kind)}`));
    for (const s of ['vk:post', 'vk:comment', 'vk:message', 'vk:suggested', 'ok:post', 'ok:comment', 'telegram:post', 'telegram:comment', 'telegram:message']) {
      expect(shapes).toContain(s);
    }
    expect(lines.some((l) => l.repost_of !== null)).toBe(true);
  });

  it('is read whole by the file adapter', async () => {
    const adapter = createFileAdapter({ baseDir: root });
    const source = { id: 1, channel: 'file' as const, kind: 'jsonl', reference: 'config/demo/feed.jsonl', options: {} };
    const { posts, cursor } = await adapter.poll(source, null);
    expect(posts).toHaveLength(lines.length);
    expect(cursor).toBe(String(lines.length));
    expect(posts.every((p) => !Number.isNaN(p.publishedAt.getTime()) && p.channel !== 'file')).toBe(true);
  });
});
