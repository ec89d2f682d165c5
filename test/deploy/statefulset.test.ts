/**
 * deploy/statefulset/statefulset.yaml: the sharded StatefulSet example. The receiver config
 * in its ConfigMap must load, and the wiring that makes shards correct must hold: the
 * `--shard` COUNT equals `replicas`, INDEX is the pod ordinal, each replica has its own
 * state volume, and the receiver exports to its own sidecar collector over loopback.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/load.js';

const FILE = fileURLToPath(new URL('../../deploy/statefulset/statefulset.yaml', import.meta.url));
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects, walked by key
const docs = parseAllDocuments(readFileSync(FILE, 'utf8')).map((d) => d.toJS() as Obj);
const byKind = (kind: string, name?: string) => docs.find((d) => d['kind'] === kind && (name === undefined || d['metadata']?.['name'] === name))!;

describe('deploy/statefulset: receiver + collector sidecar, one shard per replica', () => {
  const sts = byKind('StatefulSet');
  const pod = sts['spec']['template']['spec'];
  const receiver = (pod['containers'] as Obj[]).find((c) => c['name'] === 'atlassian-audit-receiver')!;
  const collector = (pod['containers'] as Obj[]).find((c) => c['name'] === 'otel-collector')!;

  it('shards by pod ordinal over exactly `replicas` shards', () => {
    const args = receiver['args'] as string[];
    const shard = args[args.indexOf('--shard') + 1];
    expect(shard).toBe(`$(POD_INDEX)/${sts['spec']['replicas']}`);
    const podIndex = (receiver['env'] as Obj[]).find((e) => e['name'] === 'POD_INDEX')!;
    expect(podIndex['valueFrom']['fieldRef']['fieldPath']).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
  });

  it('gives every replica its own state volume, mounted by both containers, holding the checkpoints', () => {
    expect((sts['spec']['volumeClaimTemplates'] as Obj[]).map((v) => v['metadata']['name'])).toEqual(['state']);
    for (const c of [receiver, collector]) expect((c['volumeMounts'] as Obj[]).some((m) => m['name'] === 'state')).toBe(true);
    const mount = (receiver['volumeMounts'] as Obj[]).find((m) => m['name'] === 'state')!['mountPath'] as string;
    const text = byKind('ConfigMap', 'atlassian-audit-receiver-config')['data']['config.yaml'] as string;
    const env = { CUSTOMER_A_ORG_ID: 'a', CUSTOMER_A_API_KEY: 'k', CUSTOMER_B_ORG_ID: 'b', CUSTOMER_B_API_KEY: 'k', CUSTOMER_C_ORG_ID: 'c', CUSTOMER_C_API_KEY: 'k', CUSTOMER_D_ORG_ID: 'd', CUSTOMER_D_API_KEY: 'k' };
    const config = parseConfig(text, '/etc/atlassian-audit-receiver/config.yaml', env);
    expect(config.stateDirectory.startsWith(`${mount}/`)).toBe(true);
    expect(config.exporter.logsUrl).toBe('http://localhost:4318/v1/logs');
    expect(config.sources.length).toBeGreaterThan(1);
  });

  it('the sidecar collector listens on loopback and queues on the state volume', () => {
    const text = byKind('ConfigMap', 'atlassian-audit-collector-config')['data']['config.yaml'] as string;
    const col = parseAllDocuments(text)[0]!.toJS() as Obj;
    expect(col['receivers']['otlp']['protocols']['http']['endpoint']).toBe('localhost:4318');
    const mount = (collector['volumeMounts'] as Obj[]).find((m) => m['name'] === 'state')!['mountPath'] as string;
    expect(String(col['extensions']['file_storage/queue']['directory']).startsWith(`${mount}/`)).toBe(true);
  });
});
