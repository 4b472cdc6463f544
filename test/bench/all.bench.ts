/**
 * `npm run bench`: every performance benchmark in one table — ingest + decide
 * beside a raw INSERT (PGlite, and Postgres when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL is set, e.g. `bash test/helpers/pg-cluster.sh npm run bench`),
 * the cost of one post beside 100 vs 10,000 open incidents, CLI start-up, and
 * the VK requests per community of `bench:poll`. Options as for bench:ingest, plus
 * `--communities N` for the poll scenarios (default 1,000).
 */
import { argValue, printTable } from './measure.js';
import { benchUrls, runIngestBench } from './ingest.bench.js';
import { runCliBench } from './cli.bench.js';
import { runPollBench } from './poll.bench.js';

const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);

async function main(): Promise<void> {
  const ingest = await runIngestBench({ sizes: list(argValue('sizes'), [20_000, 100_000]), open: list(argValue('open'), [100, 10_000]), urls: benchUrls() });
  const cli = await runCliBench();
  const poll = await runPollBench(Number(argValue('communities') ?? 1000));
  console.log(`npm run bench — node ${process.version}; CPU seconds of this process (PGlite runs inside it) and of the local Postgres server; targets are the issue's, measured is this run (the machine may be shared: compare CPU seconds)`);
  printTable([...ingest, ...cli, ...poll]);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
