#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm run build` and on install by
// `prepare`): plain JavaScript, so start-up compiles nothing. A checkout that was
// never built — or OTKLIK_FROM_SOURCE=1 (the test suite, so it never runs a stale
// build) — runs the TypeScript sources through tsx, a development dependency.
import { existsSync } from 'node:fs';

const built = new URL('../dist/src/main.js', import.meta.url);
if (existsSync(built) && !process.env.OTKLIK_FROM_SOURCE) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
