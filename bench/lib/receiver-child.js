// Runs the real CLI (dist/cli.js, same arguments; or $BENCH_ENTRY: the naive baseline, or an
// earlier build) and, as the process exits, writes its own CPU time and peak RSS to
// $BENCH_STATS_FILE: the receiver's figures, nothing else's.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const statsFile = process.env.BENCH_STATS_FILE;
if (statsFile) {
  process.on('exit', (code) => {
    const cpu = process.cpuUsage();
    const usage = process.resourceUsage();
    writeFileSync(statsFile, JSON.stringify({ code, userUs: cpu.user, systemUs: cpu.system, maxRssKb: usage.maxRSS, uptimeMs: process.uptime() * 1000 }));
  });
}
// BENCH_MEMORY_TRACE=1: one process.memoryUsage() line per second on stderr (diagnosis only).
if (process.env.BENCH_MEMORY_TRACE) {
  const mb = (n) => Math.round(n / 2 ** 20);
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`memory rss=${mb(m.rss)} heapTotal=${mb(m.heapTotal)} heapUsed=${mb(m.heapUsed)} external=${mb(m.external)} arrayBuffers=${mb(m.arrayBuffers)}\n`);
  }, 1000).unref();
}
await import(process.env.BENCH_ENTRY ? pathToFileURL(process.env.BENCH_ENTRY).href : '../../dist/cli.js');
