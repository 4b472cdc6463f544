import { z } from 'zod';
import type { SparseHead } from './head.js';
import type { DepartmentBlend } from './department.js';
import type { TextModel } from './model.js';

/**
 * JSON form of a model. Arrays travel as base64 of their little-endian bytes and head
 * weights as int8 with one scale per head: a 2,000-text model stays a few megabytes.
 */
export const MODEL_FORMAT = 'otklik-linear-1';

type Typed = Uint32Array | Uint16Array | Uint8Array | Int16Array | Int8Array | Float32Array;

/** Class ids take one byte when fewer than 256 classes (the usual case): a third of a head's size. */
function encodeCls(cls: Uint16Array, classes: number): { cls: string; clsBytes?: 1 } {
  return classes <= 256 ? { cls: b64(Uint8Array.from(cls)), clsBytes: 1 } : { cls: b64(cls) };
}

function decodeCls(s: string, bytes: number | undefined): Uint16Array {
  return bytes === 1 ? Uint16Array.from(unb64(s, (b) => new Uint8Array(b))) : unb64(s, (b) => new Uint16Array(b));
}

function b64(a: Typed): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function unb64<T extends Typed>(s: string, make: (buf: ArrayBuffer) => T): T {
  const bytes = Buffer.from(s, 'base64');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return make(copy);
}

const headJson = z.object({
  labels: z.array(z.string()),
  bias: z.array(z.number()),
  temperature: z.number(),
  rowPtr: z.string(),
  cls: z.string(),
  /** 1 when class ids are stored as bytes; absent (2) in models written before. */
  clsBytes: z.literal(1).optional(),
  q: z.string(),
  scale: z.number(),
});

const blendJson = z.object({
  base: z.string(),
  rowPtr: z.string(),
  cls: z.string(),
  /** 1 when class ids are stored as bytes; absent (2) in models written before. */
  clsBytes: z.literal(1).optional(),
  /** CNB corrections as int16 × wScale: their sum over a text's features needs more than int8's precision. */
  w: z.string(),
  wScale: z.number(),
  invNorm: z.string(),
  logDenom: z.string(),
  viaTopic: z.string(),
});

const modelJson = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.number(),
  trainedAt: z.string(),
  samples: z.number(),
  metrics: z.record(z.string(), z.unknown()),
  vocab: z.object({ hashes: z.string(), idf: z.string() }),
  heads: z.record(z.string(), headJson),
  /** Added after the first release: older stored models simply have no department blend. */
  departmentBlend: blendJson.optional(),
  /** Added with calibration: older stored models have raw probabilities and no auto table. */
  calibration: z.record(z.string(), z.number()).optional(),
  auto: z.array(z.object({ precision: z.number(), threshold: z.number(), coverage: z.number() })).optional(),
  /** Added with the reliability map: older stored models use the temperature alone. */
  reliability: z.record(z.string(), z.object({ x: z.array(z.number()), y: z.array(z.number()) })).optional(),
});

function encodeBlend(b: DepartmentBlend): z.infer<typeof blendJson> {
  const { cnb } = b;
  let max = 0;
  for (const v of cnb.w) max = Math.max(max, Math.abs(v));
  const wScale = max > 0 ? max / 32767 : 1;
  const w = b64(Int16Array.from(cnb.w, (v) => Math.round(v / wScale)));
  return { base: b64(cnb.base), rowPtr: b64(cnb.rowPtr), ...encodeCls(cnb.cls, cnb.invNorm.length), w, wScale, invNorm: b64(cnb.invNorm), logDenom: b64(cnb.logDenom), viaTopic: b64(b.viaTopic) };
}

function decodeBlend(j: z.infer<typeof blendJson>): DepartmentBlend {
  const f32 = (s: string) => unb64(s, (b) => new Float32Array(b));
  const cnb = { base: f32(j.base), rowPtr: unb64(j.rowPtr, (b) => new Uint32Array(b)), cls: decodeCls(j.cls, j.clsBytes), w: Float32Array.from(unb64(j.w, (b) => new Int16Array(b)), (v) => v * j.wScale), invNorm: f32(j.invNorm), logDenom: f32(j.logDenom) };
  return { cnb, viaTopic: f32(j.viaTopic) };
}

function encodeHead(h: SparseHead): z.infer<typeof headJson> {
  let max = 0;
  for (const v of h.w) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  const q = Int8Array.from(h.w, (v) => Math.round(v / scale));
  return { labels: h.labels, bias: [...h.bias], temperature: h.temperature, rowPtr: b64(h.rowPtr), ...encodeCls(h.cls, h.labels.length), q: b64(q), scale };
}

function decodeHead(j: z.infer<typeof headJson>): SparseHead {
  const q = unb64(j.q, (b) => new Int8Array(b));
  return {
    labels: j.labels,
    bias: Float32Array.from(j.bias),
    temperature: j.temperature,
    rowPtr: unb64(j.rowPtr, (b) => new Uint32Array(b)),
    cls: decodeCls(j.cls, j.clsBytes),
    w: Float32Array.from(q, (v) => v * j.scale),
  };
}

export function serializeModel(m: TextModel): string {
  const hashes = new Uint32Array(m.vocab.idf.length);
  for (const [h, i] of m.vocab.index) hashes[i] = h;
  const heads = Object.fromEntries(Object.entries(m.heads).map(([k, h]) => [k, encodeHead(h)]));
  const { version, trainedAt, samples, metrics } = m;
  const departmentBlend = m.departmentBlend ? encodeBlend(m.departmentBlend) : undefined;
  const vocab = { hashes: b64(hashes), idf: b64(m.vocab.idf) };
  return JSON.stringify({ format: MODEL_FORMAT, version, trainedAt, samples, metrics, vocab, heads, departmentBlend, calibration: m.calibration, auto: m.auto, reliability: m.reliability });
}

/** Parses a stored model; throws on a foreign or broken format. */
export function deserializeModel(text: string): TextModel {
  const j = modelJson.parse(JSON.parse(text));
  const hashes = unb64(j.vocab.hashes, (b) => new Uint32Array(b));
  const index = new Map<number, number>();
  hashes.forEach((h, i) => index.set(h, i));
  const heads: TextModel['heads'] = {};
  for (const [k, h] of Object.entries(j.heads)) if (k === 'topic' || k === 'department' || k === 'kind') heads[k] = decodeHead(h);
  return {
    version: j.version,
    trainedAt: j.trainedAt,
    samples: j.samples,
    metrics: j.metrics,
    vocab: { index, idf: unb64(j.vocab.idf, (b) => new Float32Array(b)) },
    heads,
    departmentBlend: j.departmentBlend ? decodeBlend(j.departmentBlend) : undefined,
    calibration: j.calibration,
    auto: j.auto,
    reliability: j.reliability,
  };
}
