// Synthetic Jira Cloud audit records (`AuditRecordBean` shape, as GET
// /rest/api/3/auditing/record returns them), generated from the index alone.
// Record i has id i + 1 and created = baseMs + i * stepMs; the API serves newest first.

const AUTHORS = [
  { accountId: '5b10ac8d82e05b22cc7d4ef5', key: 'alice' },
  { accountId: '5b10a2844c20165700ede21g', key: 'bob' },
  { accountId: '', key: '' }, // Jira's own actions carry no author
];

const ADDRESSES = ['198.51.100.23', '203.0.113.140', '192.0.2.77', ''];

const VARIANTS = [
  (k) => ({
    summary: 'User added to group',
    category: 'group management',
    eventSource: '',
    objectItem: { id: 'jira-software-users', name: 'jira-software-users', typeName: 'GROUP', parentId: '10000', parentName: 'com.atlassian.crowd.directory.IdentityPlatformRemoteDirectory' },
    associatedItems: [{ id: AUTHORS[k % 2].accountId, name: AUTHORS[k % 2].accountId, typeName: 'USER', parentId: '10000', parentName: 'com.atlassian.crowd.directory.IdentityPlatformRemoteDirectory' }],
    changedValues: [],
  }),
  () => ({
    summary: 'Project created',
    category: 'projects',
    eventSource: '',
    description: 'Project key: ENG-__N__',
    objectItem: { id: '__N__', name: 'Engineering __N__', typeName: 'PROJECT' },
    associatedItems: [],
    changedValues: [
      { fieldName: 'Name', changedTo: 'Engineering __N__' },
      { fieldName: 'Key', changedTo: 'ENG' },
      { fieldName: 'Project type', changedTo: 'software' },
      { fieldName: 'Default assignee', changedTo: 'Unassigned' },
    ],
  }),
  () => ({
    summary: 'Permission scheme updated',
    category: 'permissions',
    eventSource: '',
    objectItem: { id: '10000', name: 'Default Permission Scheme', typeName: 'PERMISSION_SCHEME' },
    associatedItems: [],
    changedValues: [{ fieldName: 'Browse Projects', changedFrom: 'Group: jira-users', changedTo: 'Group: jira-users, Group: contractors' }],
  }),
  () => ({
    summary: 'Workflow updated',
    category: 'workflows',
    eventSource: 'Jira Connect Plugin',
    objectItem: { id: 'classic default workflow', name: 'classic default workflow', typeName: 'WORKFLOW' },
    associatedItems: [{ id: '10001', name: 'Engineering', typeName: 'PROJECT' }],
    changedValues: [{ fieldName: 'Transition', changedFrom: 'Start Progress', changedTo: 'Begin work' }],
  }),
];

function template(v, k) {
  const author = AUTHORS[k % AUTHORS.length];
  const record = {
    id: 1234567890, // placeholder number, replaced below
    summary: v.summary,
    remoteAddress: ADDRESSES[k % ADDRESSES.length],
    authorKey: author.key,
    authorAccountId: author.accountId,
    created: '__CREATED__',
    category: v.category,
    eventSource: v.eventSource,
    ...(v.description ? { description: v.description } : {}),
    objectItem: v.objectItem,
    changedValues: v.changedValues,
    associatedItems: v.associatedItems,
  };
  return JSON.stringify(record).replace('1234567890', '__ID__').split(/__(ID|CREATED|N)__/);
}

const TEMPLATES = [];
for (let k = 0; k < 12; k++) for (const v of VARIANTS) TEMPLATES.push(template(v(k), k));

/** Jira's own timestamp style: 2022-01-24T08:48:05.645+0000. */
function jiraTime(ms) {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export class JiraBacklog {
  constructor({ total, baseMs, stepMs = 1 }) {
    this.total = total;
    this.baseMs = baseMs;
    this.stepMs = stepMs;
  }

  createdMs(i) {
    return this.baseMs + i * this.stepMs;
  }

  record(i) {
    const parts = TEMPLATES[i % TEMPLATES.length];
    const values = { ID: String(i + 1), CREATED: jiraTime(this.createdMs(i)), N: String(i) };
    let out = parts[0];
    for (let p = 1; p < parts.length; p += 2) out += values[parts[p]] + parts[p + 1];
    return out;
  }

  /** Indices [start, end) whose created lies in [fromMs, toMs] (either bound optional). */
  range(fromMs, toMs) {
    const start = fromMs === undefined ? 0 : Math.min(this.total, Math.max(0, Math.ceil((fromMs - this.baseMs) / this.stepMs)));
    const end = toMs === undefined ? this.total : Math.min(this.total, Math.max(0, Math.floor((toMs - this.baseMs) / this.stepMs) + 1));
    return { start, end: Math.max(start, end) };
  }

  /** Newest first: offset 0 is index end - 1. */
  page(start, end, offset, limit) {
    const count = end - start;
    const records = [];
    for (let k = offset; k < Math.min(count, offset + limit); k++) records.push(this.record(end - 1 - k));
    return { body: `{"offset":${offset},"limit":${limit},"total":${count},"records":[${records.join(',')}]}`, count: records.length };
  }
}

/** Jira's `from`/`to`: epoch milliseconds or a date-time string. */
export function parseJiraTime(text) {
  if (text === null || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(ms) ? Number.NaN : ms;
}
