// Preloaded with `node --import` in tests: records the URL of every module the
// process resolves into the file named by IMPORT_TRACE_FILE (one a line).
import { register } from 'node:module';

register('./import-trace-hooks.mjs', import.meta.url, { data: { file: process.env.IMPORT_TRACE_FILE } });
