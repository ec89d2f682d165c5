#!/usr/bin/env node
// What a record costs before it is sent: JSON.parse of each event, then the receiver's mapping,
// then the OTLP encoding of the mapped record, for the bench's org events and Jira records.
// Prints CPU per record of each step: the median of 20 rounds after 5 warm-up rounds.
// usage: npm run build && node bench/map-records.js [events] [dist directory ...]
// Several dist directories (default: ./dist) are measured in one process, round by round in
// turn, so an older build (tsc output of another commit, with node_modules beside it) and this
// one see the same machine; on a noisy VM that is the only fair comparison.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JiraBacklog } from './lib/jira-data.js';
import { OrgBacklog, orgId } from './lib/org-data.js';

const events = Number(process.argv[2] ?? 5_000);
const dists = process.argv.length > 3 ? process.argv.slice(3) : [new URL('../dist', import.meta.url).pathname];

const observedMs = Date.now();
const org = new OrgBacklog({ total: events, baseMs: observedMs - events - 3_600_000 });
const jira = new JiraBacklog({ total: events, baseMs: observedMs - events - 3_600_000 });
const texts = {
  org: Array.from({ length: events }, (_, i) => org.event(i)),
  jira: Array.from({ length: events }, (_, i) => jira.record(i)),
};

async function load(dir) {
  const base = pathToFileURL(resolve(dir)).href;
  const { mapOrgEvent } = await import(`${base}/sources/org-events/map.js`);
  const { mapJiraRecord } = await import(`${base}/sources/jira-audit/map.js`);
  const { ProtobufWriter } = await import(`${base}/otlp/protobuf-writer.js`);
  const { writeLogRecord } = await import(`${base}/otlp/log-record-encoding.js`);
  const maps = {
    org: (raw) => mapOrgEvent(raw, { orgId, sourceName: 'bench-org', observedMs }),
    jira: (raw) => mapJiraRecord(raw, { site: 'https://bench.atlassian.net', siteHost: 'bench.atlassian.net', sourceName: 'bench-jira', observedMs }),
  };
  const writer = new ProtobufWriter(1 << 20);
  const steps = [];
  for (const kind of ['org', 'jira']) {
    const map = maps[kind];
    const records = texts[kind].map((t) => map(JSON.parse(t)));
    steps.push(
      [`${kind} JSON.parse`, () => { for (const t of texts[kind]) JSON.parse(t); }],
      [`${kind} JSON.parse + map`, () => { for (const t of texts[kind]) map(JSON.parse(t)); }],
      [`${kind} encode`, () => { for (const r of records) { writer.reset(); writeLogRecord(writer, r); } }],
    );
  }
  return { dir, steps, samples: new Map(steps.map(([name]) => [name, []])) };
}

const builds = [];
for (const dir of dists) builds.push(await load(dir));
for (let round = 0; round < 25; round++) {
  for (const build of builds) {
    for (const [name, fn] of build.steps) {
      const start = process.cpuUsage();
      fn();
      const used = process.cpuUsage(start);
      if (round >= 5) build.samples.get(name).push((used.user + used.system) / events);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const build of builds) {
  const line = [...build.samples].map(([name, xs]) => `${name} ${median(xs).toFixed(2)}`).join(' · ');
  process.stdout.write(`${build.dir} (${events} records, µs CPU per record): ${line}\n`);
}
