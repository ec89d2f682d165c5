import type { SourceConfig } from './schema.js';

/**
 * Every origin a source sends requests to (API, API gateway, token endpoint): its `tls:`
 * applies to all of them. A new source type must say where it connects, or TLS settings
 * would silently not reach its requests (the switch is exhaustive).
 */
export function sourceOrigins(source: SourceConfig): string[] {
  switch (source.type) {
    case 'org-events':
    case 'datacenter-audit':
      return [new URL(source.baseUrl).origin];
    case 'datacenter-audit-file':
      return []; // reads local files: no network
    case 'jira-audit':
    case 'confluence-audit': {
      const auth = source.auth;
      const urls = [source.site, ...('apiBaseUrl' in auth ? [auth.apiBaseUrl] : []), ...('tokenUrl' in auth ? [auth.tokenUrl] : [])];
      return [...new Set(urls.map((u) => new URL(u).origin))];
    }
  }
}
