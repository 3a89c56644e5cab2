import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** A progress bar on stderr when it is a terminal; nothing when piped or in CI logs. */
export function progressBar(label: string, total: number, unit: string, extra = ''): Progress {
  if (!process.stderr.isTTY || total <= 0) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit}${extra}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, {});
  return {
    update(value, payload) {
      bar.update(Math.min(value, total), payload ?? {});
    },
    stop() {
      bar.stop();
    },
  };
}
