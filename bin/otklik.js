#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (a runtime dependency), so
// `npx otklik` works from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
