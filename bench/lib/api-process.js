// Entry point of the forked fake Atlassian API process (see fake-api.js).
import { createApiHandler, listen } from './fake-api.js';
import { serveIpc } from './ipc.js';

const api = createApiHandler();
const { url } = await listen(api.handler);
api.setBaseUrl(url);
serveIpc({
  addOrg: (a) => void api.addOrg(a),
  addJira: (a) => void api.addJira(a),
  stats: ({ kind, key }) => api.stats(kind, key),
  remove: ({ kind, key }) => api.remove(kind, key),
});
process.send({ ready: true, url });
