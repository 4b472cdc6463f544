import { SingleBar } from 'cli-progress';

/** A progress bar on stderr for long CLI work; draws nothing when stderr is not a terminal (tests, logs). */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: SingleBar | null = null;
  return {
    update(done, total) {
      if (!stream.isTTY) return;
      if (!bar) {
        bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream, hideCursor: true, clearOnComplete: false });
        bar.start(total, 0);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
