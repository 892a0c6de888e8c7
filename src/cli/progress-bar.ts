// A one-line progress bar for replays, drawn only on a terminal (CI logs get nothing).
import type { WriteStream } from 'node:tty';

export interface ProgressBar {
  update(fraction: number): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream | WriteStream, width = 30): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = -1;
  return {
    update(fraction) {
      const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round((percent / 100) * width);
      stream.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}%`);
    },
    done() {
      if (shown >= 0) stream.write('\n');
    },
  };
}
