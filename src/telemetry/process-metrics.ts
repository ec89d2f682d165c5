import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

/**
 * Process metrics under the OpenTelemetry semantic-convention names (process.*, v8js.*,
 * nodejs.*), read when a reader collects. In Prometheus: process_cpu_time_seconds_total,
 * process_memory_usage_bytes, process_uptime_seconds, v8js_memory_heap_used_bytes,
 * v8js_memory_heap_limit_bytes, nodejs_eventloop_delay_p99_seconds. Returns a stop function.
 */
export function registerProcessMetrics(meter: Meter): () => void {
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();

  meter
    .createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time used by the receiver process, by cpu.mode (user, system)' })
    .addCallback((r) => {
      const cpu = process.cpuUsage();
      r.observe(cpu.user / 1e6, { 'cpu.mode': 'user' });
      r.observe(cpu.system / 1e6, { 'cpu.mode': 'system' });
    });
  meter
    .createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size of the receiver process' })
    .addCallback((r) => r.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge('process.uptime', { unit: 's', description: 'Time since the receiver process started' })
    .addCallback((r) => r.observe(process.uptime()));
  meter
    .createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use' })
    .addCallback((r) => r.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('v8js.memory.heap.limit', { unit: 'By', description: 'V8 heap size (total allocated)' })
    .addCallback((r) => r.observe(process.memoryUsage().heapTotal));
  meter
    .createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: '99th percentile of event-loop delay since the last collection' })
    .addCallback((r) => {
      // Nanoseconds; reset so each collection reports the interval since the previous one (0 before any sample).
      r.observe(loop.count > 0 ? loop.percentile(99) / 1e9 : 0);
      loop.reset();
    });
  return () => loop.disable();
}
