// A throwaway PKI for the TLS tests: a root CA made in the test run, server certificates for
// loopback and for made-up names that only the test proxy resolves, and client certificates.
// Written with @peculiar/x509 (pinned dev dependency) so no openssl binary is needed; it needs
// the reflect-metadata polyfill loaded first (its dependency injection container asks for it).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { tempDir } from './temp-dir.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki extends Issued {
  /** Server certificate valid for the DNS names and IPs given. */
  server(dnsNames: readonly string[], ips?: readonly string[]): Promise<Issued>;
  /** Client certificate (extendedKeyUsage clientAuth). */
  client(commonName: string): Promise<Issued>;
  /** Writes PEM files to a temp folder and returns their paths. */
  files(named: Record<string, string>): Record<string, string>;
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, '0');

async function pemKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createTestPki(name = 'Receiver Test Root CA'): Promise<TestPki> {
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + DAY),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const issue = async (subject: string, extensions: x509.Extension[]): Promise<Issued> => {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject,
      issuer: ca.subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + DAY),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), ...extensions],
    });
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  };
  return {
    cert: ca.toString('pem'),
    key: await pemKey(caKeys.privateKey),
    server: (dnsNames, ips = []) =>
      issue(`CN=${dnsNames[0] ?? ips[0] ?? 'server'}`, [
        new x509.SubjectAlternativeNameExtension([...dnsNames.map((value) => ({ type: 'dns' as const, value })), ...ips.map((value) => ({ type: 'ip' as const, value }))]),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ]),
    client: (commonName) => issue(`CN=${commonName}`, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]),
    files: (named) => {
      const dir = tempDir('aar-pki-');
      return Object.fromEntries(Object.entries(named).map(([file, pem]) => {
        const path = join(dir, file);
        writeFileSync(path, pem, { mode: 0o600 });
        return [file, path];
      }));
    },
  };
}
