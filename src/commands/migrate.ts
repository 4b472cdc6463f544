import type { AppCommand } from '../cli/spec.js';

/** `otklik migrate`: building the App applied the migrations and synced the config; say so. */
export const migrateCommand: AppCommand = async (deps) => {
  deps.out(`база готова (${deps.app.dbHandle.driver}); конфигурация перенесена`);
  return 0;
};
