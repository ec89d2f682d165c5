/**
 * One collector release everywhere: the builder manifest the end-to-end suite builds (every
 * module), the builder itself, the Helm values' image tag, otel-collector/base.yaml and the README.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

describe('the collector release', () => {
  const manifest = parse(read('test/collector/builder-config.yaml')) as Record<string, unknown>;
  const release = String((manifest.dist as { version: unknown }).version);

  it('pins every builder module, and the builder, to the manifest release', () => {
    expect(release).toMatch(/^0\.\d+\.\d+$/);
    const modules = ['receivers', 'processors', 'exporters', 'extensions', 'connectors']
      .flatMap((k) => (Array.isArray(manifest[k]) ? (manifest[k] as { gomod: string }[]) : []))
      .map((c) => c.gomod);
    expect(modules.length).toBeGreaterThan(5);
    for (const m of modules) expect(m.split(' ')[1], m).toBe(`v${release}`);
    expect(read('test/collector/build.mjs')).toContain(`go.opentelemetry.io/collector/cmd/builder@v${release}'`);
  });

  it('is the image the Helm values run and the release base.yaml and the README name', () => {
    const values = parse(read('deploy/helm/values.yaml')) as { image: { repository: string; tag: unknown } };
    expect(values.image).toMatchObject({ repository: 'otel/opentelemetry-collector-contrib', tag: release });
    expect(read('otel-collector/base.yaml')).toContain(`Collector release: ${release}.`);
    expect(read('otel-collector/base.yaml')).toContain(`otel/opentelemetry-collector-contrib:${release}`);
    expect(read('README.md')).toContain(`test release **${release}**`);
    expect(read('README.md')).toContain(`pinned to v${release}`);
  });
});
