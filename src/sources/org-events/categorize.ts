/**
 * ECS-style categorisation of Organizations audit actions, re-implementing the rules of
 * Elastic's `atlassian_cloud` audit ingest pipeline so dashboards and detections written
 * against that integration keep working on our records.
 *
 * The rules live in tables (not if-chains) so they can be diffed against Elastic's pipeline.
 */

export type OrgActionOutcome = 'success' | 'failure' | 'unknown';

export interface OrgActionCategorization {
  category: string[];
  type: string[];
  outcome: OrgActionOutcome;
}

type Rule = readonly [
  category: readonly string[],
  type: readonly string[],
  outcome: OrgActionOutcome,
];

const AUTH_SUCCESS: Rule = [['authentication'], ['info'], 'success'];
const AUTH_FAILURE: Rule = [['authentication'], ['info'], 'failure'];
const IAM_CONFIG_CHANGE: Rule = [['iam', 'configuration'], ['change'], 'success'];
const CONFIG_INFO: Rule = [['configuration'], ['info'], 'success'];

/** Whole-action matches, checked before any prefix. */
const EXACT_RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['user_login', AUTH_SUCCESS],
  ['user_logout', AUTH_SUCCESS],
  ['user_login_failed', AUTH_FAILURE],
  ['org_settings_update', IAM_CONFIG_CHANGE],
]);

/** First matching prefix wins, so order matters (e.g. `user_login_failed` before `user_login`). */
const PREFIX_RULES: readonly (readonly [prefix: string, rule: Rule])[] = [
  ['user_login_failed', AUTH_FAILURE],
  ['user_login', AUTH_SUCCESS],
  ['user_logout', AUTH_SUCCESS],
  ['organization_users_', [['iam'], ['info'], 'success']],
  ['user_profile_', [['iam'], ['user'], 'success']],
  ['user_invitation_', [['iam'], ['user', 'creation'], 'success']],
  ['user_invit', [['iam'], ['user', 'creation'], 'success']],
  ['user_deactiv', [['iam'], ['user', 'change'], 'success']],
  ['user_reactiv', [['iam'], ['user', 'change'], 'success']],
  ['user_remov', [['iam'], ['user', 'deletion'], 'success']],
  ['marketplace_app_install', [['configuration', 'package'], ['installation'], 'success']],
  ['marketplace_app_uninstall', [['configuration', 'package'], ['deletion'], 'success']],
  ['api_token_creat', [['iam'], ['creation'], 'success']],
  ['api_token_revok', [['iam'], ['deletion'], 'success']],
  ['group_member', [['iam'], ['group', 'change'], 'success']],
  ['confluence_', CONFIG_INFO],
  ['jira_', CONFIG_INFO],
  ['bitbucket_', CONFIG_INFO],
];

const SUFFIX_RULES: readonly (readonly [suffix: string, rule: Rule])[] = [
  ['_policy_update', IAM_CONFIG_CHANGE],
];

const DEFAULT_RULE: Rule = CONFIG_INFO;
/** No action at all says nothing about what happened; Elastic skips categorisation then. */
const EMPTY_RULE: Rule = [[], [], 'unknown'];

function findRule(action: string): Rule {
  if (action === '') return EMPTY_RULE;
  const exact = EXACT_RULES.get(action);
  if (exact !== undefined) return exact;
  for (const [prefix, rule] of PREFIX_RULES) {
    if (action.startsWith(prefix)) return rule;
  }
  for (const [suffix, rule] of SUFFIX_RULES) {
    if (action.endsWith(suffix)) return rule;
  }
  return DEFAULT_RULE;
}

export function categorizeOrgAction(action: string): OrgActionCategorization {
  const [category, type, outcome] = findRule(action);
  // Fresh arrays: the tables are shared and callers may mutate what they get back.
  return { category: category.slice(), type: type.slice(), outcome };
}
