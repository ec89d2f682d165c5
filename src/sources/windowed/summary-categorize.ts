/**
 * ECS-style categorisation of Jira and Confluence audit records, from their free-text
 * `summary` ("User added to group", "Permission scheme deleted") and `category`. Neither
 * API has an action code like the org log's, so the rules read the wording Atlassian uses;
 * they live in tables so a new summary means a new row, not a new branch.
 */

export type AuditOutcome = 'success' | 'failure' | 'unknown';

export interface AuditCategorization {
  category: string[];
  type: string[];
  outcome: AuditOutcome;
}

/**
 * What the summary's verb says happened to the object. Summaries read "<object> <verb>"
 * ("Customer invited notification changed"), so the verb found last wins.
 */
const VERBS: readonly (readonly [RegExp, string])[] = [
  [/\b(created|invited|installed|granted)\b|\badded\b(?! to\b)/g, 'creation'],
  [/\b(deleted|removed|purged|trashed|revoked|uninstalled)\b/g, 'deletion'],
  [/\b(viewed|exported|downloaded|searched|accessed)\b|search performed/g, 'access'],
  [/\b(updated|changed|renamed|edited|modified|moved|archived|restored|unarchived|activated|deactivated|enabled|disabled|uploaded|added to|reset|turned (on|off)|copied|converted|merged)\b/g, 'change'],
];

type Subject = (verb: string) => readonly [category: string[], type: string[]];

const AUTH_WORDS = /\b(log(ged)? ?in|log(ged)? ?out|sign(ed)? ?(in|out)|authenticat\w*)\b/;
const FAILURE_WORDS = /\b(fail(ed|ure|s)?|denied|rejected|blocked)\b/;

/** Subject rules over `summary` (and `category` where noted); first match wins, so order matters. */
const SUBJECTS: readonly (readonly [test: (summary: string, category: string) => boolean, subject: Subject])[] = [
  [(s) => AUTH_WORDS.test(s), () => [['authentication'], ['info']]],
  [(s) => /\b(added to|removed from|joined|left)\b.*\bgroups?\b|\bgroup members?(hip)?\b/.test(s), () => [['iam'], ['group', 'change']]],
  [(s) => /\b(api|access) tokens?\b/.test(s), (verb) => [['iam'], [verb]]],
  [
    (s, c) => /\bpermissions?\b|\bsecurity (scheme|level)s?\b|\broles?\b|\brestrictions?\b/.test(s) || /permission/.test(c),
    (verb) => [['iam', 'configuration'], [verb]],
  ],
  [(s) => /\bgroups?\b/.test(s), (verb) => [['iam'], ['group', verb]]],
  [(s, c) => /\b(users?|user's|accounts?|passwords?)\b/.test(s) || /\buser/.test(c), (verb) => [['iam'], ['user', verb]]],
  [
    (s, c) => /\b(apps?|plugins?|add-ons?|addons?)\b/.test(s) || /^(apps?|plugins?)$/.test(c),
    (verb) => [['configuration', 'package'], [verb === 'creation' ? 'installation' : verb]],
  ],
];

const DEFAULT_SUBJECT: Subject = (verb) => [['configuration'], [verb]];

function verbOf(summary: string): string {
  let verb = 'info';
  let at = -1;
  for (const [pattern, type] of VERBS) {
    for (const match of summary.matchAll(pattern)) {
      if (match.index > at) [verb, at] = [type, match.index];
    }
  }
  return verb;
}

/**
 * Categorises one record. A record with neither summary nor category says nothing about
 * what happened: it gets empty lists and outcome `unknown`, as the org mapping does.
 */
export function categorizeAuditSummary(summary: unknown, category: unknown): AuditCategorization {
  const s = typeof summary === 'string' ? summary : '';
  const c = typeof category === 'string' ? category : '';
  // Summaries come from Atlassian's finite set of audit event types, so most records repeat
  // one seen before: the regular expressions above cost about 1.5 µs a record, a lookup far less.
  // The category's length first keeps the key unambiguous whatever characters the two hold.
  const key = s.length + c.length <= MAX_CACHED_CHARS ? `${c.length}:${c}${s}` : undefined;
  let known = key === undefined ? undefined : seen.get(key);
  if (known === undefined) {
    known = categorize(s.trim().toLowerCase(), c.trim().toLowerCase());
    if (key !== undefined) {
      if (seen.size >= MAX_CACHED) seen.clear();
      seen.set(key, known);
    }
  }
  // Fresh arrays every time: they become the record's attributes, which callers may change.
  return { category: [...known.category], type: [...known.type], outcome: known.outcome };
}

const MAX_CACHED = 2_048;
const MAX_CACHED_CHARS = 256;
const seen = new Map<string, AuditCategorization>();

function categorize(s: string, c: string): AuditCategorization {
  if (s === '' && c === '') return { category: [], type: [], outcome: 'unknown' };
  const verb = verbOf(s);
  const subject = SUBJECTS.find(([test]) => test(s, c))?.[1] ?? DEFAULT_SUBJECT;
  const [cat, type] = subject(verb);
  // Audit logs record what was done; only an explicit failure word says otherwise.
  return { category: cat, type: [...new Set(type)], outcome: FAILURE_WORDS.test(s) ? 'failure' : 'success' };
}
