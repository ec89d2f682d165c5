import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from '../util/zod.js';
import type { ConfigIssue } from '../errors/config-error.js';

/**
 * PEM material for one HTTPS client, read once at start-up. `ca` replaces the trusted roots
 * for that client (as the OTel SDKs and the Collector's `ca_file` do); without it Node's
 * roots apply, plus NODE_EXTRA_CA_CERTS.
 */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** The file paths as written in the config (or OTEL_* variables), before reading. */
export interface TlsFiles {
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

const path = (what: string) => z.string({ error: `${what} must be a file path` }).min(1, { error: `${what} is empty` });

/** `tls:` of an API source: a CA bundle for a private CA or a TLS-inspecting proxy. */
export const sourceTlsSchema = z.strictObject({ caFile: path('caFile').optional() }).optional();

/** `exporter.tls:`: CA bundle, and a client certificate and key when the collector requires mTLS. */
export const exporterTlsSchema = z
  .strictObject({ caFile: path('caFile').optional(), certFile: path('certFile').optional(), keyFile: path('keyFile').optional() })
  .optional();

/**
 * Reads and checks the files (relative paths are relative to the config file's folder), so a
 * wrong path or a key in the place of a certificate is a config error at start-up, not a TLS
 * failure at the first request. `keys` names each file's config key in messages; file contents
 * are never quoted (a key file is a secret).
 */
export function readTlsFiles(files: TlsFiles, baseDir: string, keys: { caFile: string; certFile: string; keyFile: string }, issues: ConfigIssue[]): TlsMaterial | undefined {
  const start = issues.length;
  const read = (file: string | undefined, key: string): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(resolve(baseDir, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code;
      issues.push({ path: key, message: `cannot read ${file}: ${why}` });
      return undefined;
    }
  };
  const ca = read(files.caFile, keys.caFile);
  const cert = read(files.certFile, keys.certFile);
  const key = read(files.keyFile, keys.keyFile);
  if (ca !== undefined && !firstCertificate(ca)) issues.push({ path: keys.caFile, message: `${files.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
  if (files.certFile !== undefined && files.keyFile === undefined) issues.push({ path: keys.certFile, message: `a client certificate needs its private key: set ${keys.keyFile} too` });
  if (files.keyFile !== undefined && files.certFile === undefined) issues.push({ path: keys.keyFile, message: `a private key needs its client certificate: set ${keys.certFile} too` });
  if (cert !== undefined && key !== undefined) {
    const x509 = firstCertificate(cert);
    const privateKey = parseKey(key);
    if (!x509) issues.push({ path: keys.certFile, message: `${files.certFile} holds no PEM certificate` });
    if (!privateKey) issues.push({ path: keys.keyFile, message: `${files.keyFile} holds no unencrypted PEM private key` });
    if (x509 && privateKey && !x509.checkPrivateKey(privateKey)) {
      issues.push({ path: keys.keyFile, message: `${files.keyFile} is not the private key of ${files.certFile}` });
    }
  }
  if (issues.length > start || (ca === undefined && cert === undefined)) return undefined;
  return { ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined && key !== undefined ? { cert, key } : {}) };
}

function firstCertificate(pem: string): X509Certificate | undefined {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!match) return undefined;
  try {
    return new X509Certificate(match[0]);
  } catch {
    return undefined;
  }
}

function parseKey(pem: string): ReturnType<typeof createPrivateKey> | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}
