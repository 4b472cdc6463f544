import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { ROOT } from './process.js';

const run = promisify(execFile);
const SCRIPT = `${ROOT}/test/helpers/pg-cluster.sh`;

/**
 * A throwaway Postgres cluster the test owns, so it can stop and start the server (an outage).
 * Built with test/helpers/pg-cluster.sh (runs the server as an unprivileged user under root).
 */
export interface OwnCluster {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

/** True when initdb and pg_ctl are on this machine (the test skips otherwise; CI installs Debian's postgresql). */
export function postgresBinariesPresent(): boolean {
  const bins = ['/usr/lib/postgresql', ...(process.env.PATH ?? '').split(':')];
  return bins.some((d) => (d === '/usr/lib/postgresql' ? existsSync(d) : existsSync(`${d}/pg_ctl`) && existsSync(`${d}/initdb`)));
}

export async function startOwnCluster(): Promise<OwnCluster> {
  const { stdout } = await run('bash', ['-c', `source "${SCRIPT}" && pg_cluster_start >/dev/null 2>&1 && printf '%s\\n' "$PG_CLUSTER_DIR" "$PG_BIN" "$PG_CLUSTER_USER" "$PG_CLUSTER_PORT" "$TEST_DATABASE_URL"`], { timeout: 120_000 });
  const [dir, bin, user, port, url] = stdout.trim().split('\n');
  const vars = `PG_CLUSTER_DIR='${dir}' PG_BIN='${bin}' PG_CLUSTER_USER='${user ?? ''}'`;
  // The same server options as pg_cluster_start.
  const opts = `-p ${port} -k ${dir}/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const ctl = (args: string) => run('bash', ['-c', `source "${SCRIPT}" && ${vars} && pg_cluster_as_owner "$PG_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" ${args}`], { timeout: 120_000 });
  return {
    url: url!,
    stop: async () => void (await ctl('-m fast -w -t 60 stop')),
    start: async () => void (await ctl(`-l "$PG_CLUSTER_DIR/server.log" -o "${opts}" -w -t 60 start`)),
    remove: async () => void (await run('bash', ['-c', `source "${SCRIPT}" && ${vars} && pg_cluster_stop`], { timeout: 120_000 })),
  };
}
