/** A one-line progress bar on a terminal; plain lines elsewhere (logs, CI). */
export function createProgressReporter(stream: NodeJS.WriteStream, total: number, enabled: boolean) {
  const started = Date.now();
  const isTty = Boolean(stream.isTTY);
  let lastDraw = 0;
  const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
  return {
    update(done: number, studentId: string, outcome: string) {
      if (!enabled) return;
      const elapsed = (Date.now() - started) / 1000;
      const rate = done / Math.max(elapsed, 1e-3);
      const left = rate > 0 ? (total - done) / rate : 0;
      if (isTty) {
        if (done < total && Date.now() - lastDraw < 100) return;
        lastDraw = Date.now();
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
        const filled = Math.round((done / total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} students · ${rate.toFixed(1)}/s · ${clock(left)} left `);
        if (done === total) stream.write('\n');
      } else {
        stream.write(`${done}/${total} ${studentId} ${outcome} (${rate.toFixed(1)}/s, ${clock(left)} left)\n`);
      }
    },
    clear() {
      if (enabled && isTty) stream.write('\n');
    },
  };
}
