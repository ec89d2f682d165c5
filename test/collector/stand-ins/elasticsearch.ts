// Elasticsearch as the elasticsearch exporter (go-elasticsearch + docappender) uses it: every
// answer carries `X-Elastic-Product: Elasticsearch` (the Go client refuses a server without it),
// GET / answers cluster info, POST /_bulk takes NDJSON action/document pairs (gzip by default)
// and answers per-item results. Documents are kept with the data stream they were sent to.
import { json, startIntake, UidTally, type IntakeServer } from './intake-server.js';

const PRODUCT = { 'x-elastic-product': 'Elasticsearch' };

export interface IndexedDocument {
  index: string;
  action: string;
  doc: Record<string, unknown>;
}

export interface ElasticsearchStandIn extends IntakeServer {
  readonly documents: IndexedDocument[];
  /** Deliveries by log.record.uid, per data stream. */
  uidsIn(index: string): UidTally;
}

/** Reads a field the way Elasticsearch resolves it: nested objects or dotted keys, mixed. */
export function field(doc: unknown, path: string): unknown {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const obj = doc as Record<string, unknown>;
  if (path in obj) return obj[path];
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const head = parts.slice(0, i).join('.');
    if (head in obj) {
      const found = field(obj[head], parts.slice(i).join('.'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export async function startElasticsearch(apiKey: string): Promise<ElasticsearchStandIn> {
  const documents: IndexedDocument[] = [];
  const tallies = new Map<string, UidTally>();
  const tally = (index: string) => tallies.get(index) ?? tallies.set(index, new UidTally()).get(index)!;
  const server = await startIntake('elasticsearch', (req, path, body) => {
    // Authorization schemes are case-insensitive (the Go client writes `APIKey`).
    const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'apikey' || credentials !== apiKey) {
      throw new Error(`refused credentials: Authorization scheme ${scheme || 'none'}`);
    }
    if (req.method === 'GET' && path === '/') {
      return json(200, { name: 'stand-in', cluster_name: 'loopback', version: { number: '8.19.0', build_flavor: 'default' }, tagline: 'You Know, for Search' }, PRODUCT);
    }
    if (req.method === 'POST' && (path === '/_bulk' || /^\/[^/]+\/_bulk$/.test(path))) {
      const lines = body.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      if (lines.length % 2 !== 0) throw new Error(`_bulk body has ${lines.length} lines, not action/document pairs`);
      const items: unknown[] = [];
      for (let i = 0; i < lines.length; i += 2) {
        const actionLine = JSON.parse(lines[i]!) as Record<string, { _index?: string }>;
        const [action, meta] = Object.entries(actionLine)[0] ?? [];
        if (action !== 'create' && action !== 'index') throw new Error(`unexpected bulk action ${String(action)}`);
        const index = meta?._index ?? path.split('/')[1] ?? '';
        const doc = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
        documents.push({ index, action, doc });
        tally(index).add(field(doc, 'log.record.uid') ?? field(doc, 'attributes.log.record.uid'));
        items.push({ [action]: { _index: index, _id: `doc-${documents.length}`, status: 201, result: 'created' } });
      }
      return json(200, { took: 1, errors: false, items }, PRODUCT);
    }
    return json(404, { error: { type: 'illegal_argument_exception', reason: `no handler for ${req.method} ${path}` }, status: 404 }, PRODUCT);
  }, json(503, { error: { type: 'unavailable_shards_exception', reason: 'held down by the test' }, status: 503 }, PRODUCT));
  return Object.assign(server, { documents, uidsIn: (index: string) => tally(index) });
}
