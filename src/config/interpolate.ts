import { readReferencedFile } from './referenced-file.js';
import type { ConfigIssue } from '../errors/config-error.js';
import { hasFileReference } from './secret-files.js';

/**
 * Replaces `${VAR}`, `${env:VAR}` and `${file:/path}` inside string values of a parsed
 * YAML tree, as the OTel Collector does; `$${` is a literal `${`. Substitution happens
 * after parsing so a secret containing YAML syntax cannot change the document's shape.
 * Problems are collected (never thrown) and name the key, not the value.
 */
export function interpolate(node: unknown, env: NodeJS.ProcessEnv, issues: ConfigIssue[], path = '', fileRefs?: Map<string, string>): unknown {
  if (typeof node === 'string') {
    // Remembered so a rotated mounted secret can be read again without a restart (secret-files.ts).
    if (fileRefs && hasFileReference(node)) fileRefs.set(path, node);
    return interpolateString(node, env, issues, path);
  }
  if (Array.isArray(node)) return node.map((item, i) => interpolate(item, env, issues, `${path}[${i}]`, fileRefs));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = interpolate(value, env, issues, path ? `${path}.${key}` : key, fileRefs);
    }
    return out;
  }
  return node;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

function interpolateString(text: string, env: NodeJS.ProcessEnv, issues: ConfigIssue[], path: string): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (whole, inner: string | undefined) => {
    if (whole === '$${') return '${';
    const ref = (inner ?? '').trim();
    if (ref.startsWith('file:')) return readSecretFile(ref.slice(5), issues, path);
    const name = ref.startsWith('env:') ? ref.slice(4) : ref;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      issues.push({ path, message: `"\${${ref}}" is not a valid reference; use \${VAR}, \${env:VAR} or \${file:/path}` });
      return '';
    }
    const value = env[name];
    if (value === undefined) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return '';
    }
    return value;
  });
}

function readSecretFile(file: string, issues: ConfigIssue[], path: string): string {
  const read = readReferencedFile(file);
  if ('text' in read) return read.text;
  issues.push({ path, message: `cannot use \${file:${file}}: ${read.problem}` });
  return '';
}
