/**
 * The chart's Service decision, re-implemented from its templates (test/fixtures/
 * opentelemetry-collector-helm/templates, see PROVENANCE.md there) and applied to
 * deploy/helm/values.yaml merged over the chart defaults. Helm itself does not run here: the
 * first test pins the template text this re-implementation follows, so a fixture update that
 * changes the logic fails it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHART = `${ROOT}test/fixtures/opentelemetry-collector-helm/`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});

function coalesce(defaults: unknown, overrides: unknown): unknown {
  if (!isObj(defaults) || !isObj(overrides)) return overrides === undefined ? defaults : overrides;
  const out: Obj = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete out[key];
    else out[key] = coalesce(defaults[key], value);
  }
  return out;
}

/** `opentelemetry-collector.serviceEnabled`: true unless service.enabled is set; never for a daemonset without it. */
function serviceEnabled(values: Obj): boolean {
  const service = asObj(values.service);
  let enabled = true;
  if (service.enabled !== undefined && service.enabled !== null) enabled = Boolean(service.enabled);
  if (values.mode === 'daemonset' && !service.enabled) enabled = false;
  return enabled;
}

/** What templates/service.yaml would render: nothing, or a Service and the ports it lists. */
function renderedService(values: Obj): { rendered: false } | { rendered: true; ports: string[] } {
  if (!(serviceEnabled(values) || asObj(values.ingress).enabled)) return { rendered: false };
  const ports = Object.entries(asObj(values.ports)).filter(([, p]) => asObj(p).enabled).map(([name]) => name);
  return { rendered: true, ports };
}

/** Kubernetes refuses a Service without spec.ports (unless headless with clusterIP None, which the chart never sets here). */
function kubernetesProblem(values: Obj): string | undefined {
  const s = renderedService(values);
  return s.rendered && s.ports.length === 0 ? 'Service spec.ports: Required value' : undefined;
}

describe('the chart Service with deploy/helm/values.yaml', () => {
  const chartValues = asObj(parse(readFileSync(`${CHART}values.yaml`, 'utf8')));
  const values = asObj(parse(readFileSync(`${ROOT}deploy/helm/values.yaml`, 'utf8')));
  const merged = asObj(coalesce(chartValues, values));

  it('follows the template text it re-implements', () => {
    const service = readFileSync(`${CHART}templates/service.yaml`, 'utf8');
    expect(service.split('\n')[0]).toBe('{{- if or (eq (include "opentelemetry-collector.serviceEnabled" .) "true") (.Values.ingress.enabled) -}}');
    expect(service).toContain('{{- if $ports }}\n  ports:');
    const helper = readFileSync(`${CHART}templates/_helpers.serviceEnabled.EXCERPT.tpl`, 'utf8');
    expect(helper).toContain('{{- $serviceEnabled := true }}');
    expect(helper).toContain('{{- if not (eq (toString .Values.service.enabled) "<nil>") }}');
    expect(helper).toContain('{{- if and (eq .Values.mode "daemonset") (not .Values.service.enabled) }}');
  });

  it('renders no Service (every port is off, so one would have no ports)', () => {
    expect(merged.mode).toBe('deployment');
    expect(Object.entries(asObj(merged.ports)).filter(([, p]) => asObj(p).enabled)).toEqual([]);
    expect(renderedService(merged)).toEqual({ rendered: false });
    expect(kubernetesProblem(merged)).toBeUndefined();
  });

  it('would render a Service without ports, which Kubernetes rejects, if service.enabled were left to the chart', () => {
    const withoutFix = asObj(coalesce(chartValues, { ...values, service: null }));
    expect(renderedService(withoutFix)).toEqual({ rendered: true, ports: [] });
    expect(kubernetesProblem(withoutFix)).toMatch(/spec.ports/);
    // And the chart defaults alone render one with ports: the check tells the cases apart.
    expect(renderedService(chartValues)).toMatchObject({ rendered: true, ports: expect.arrayContaining(['otlp', 'otlp-http']) });
  });
});
