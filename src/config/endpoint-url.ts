/**
 * `<base>/v1/logs` for an OTLP base endpoint: the suffix joins the URL's path, so a query
 * (`https://gw.example.com/otlp?tenant=a`) is kept after it, not swallowed into the path.
 */
export function withSignalPath(base: string, suffix: '/v1/logs' | '/v1/metrics'): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  return url.toString();
}
