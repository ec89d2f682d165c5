import { describe, expect, it } from 'vitest';
import { categorizeOrgAction } from '../../../src/sources/org-events/categorize.js';

const AUTH = ['authentication'];
const IAM = ['iam'];
const CONFIG = ['configuration'];
const IAM_CONFIG = ['iam', 'configuration'];
const PACKAGE = ['configuration', 'package'];

const cases: readonly [action: string, category: string[], type: string[], outcome: string][] = [
  // exact matches
  ['user_login', AUTH, ['info'], 'success'],
  ['user_logout', AUTH, ['info'], 'success'],
  ['user_login_failed', AUTH, ['info'], 'failure'],
  ['org_settings_update', IAM_CONFIG, ['change'], 'success'],
  // prefixes, in precedence order
  ['user_login_failed_mfa', AUTH, ['info'], 'failure'],
  ['user_login_via_saml', AUTH, ['info'], 'success'],
  ['user_logout_all_sessions', AUTH, ['info'], 'success'],
  ['organization_users_viewed', IAM, ['info'], 'success'],
  ['user_profile_updated', IAM, ['user'], 'success'],
  ['user_invitation_sent', IAM, ['user', 'creation'], 'success'],
  ['user_invited', IAM, ['user', 'creation'], 'success'],
  ['user_deactivated', IAM, ['user', 'change'], 'success'],
  ['user_reactivated', IAM, ['user', 'change'], 'success'],
  ['user_removed_from_org', IAM, ['user', 'deletion'], 'success'],
  ['marketplace_app_installed', PACKAGE, ['installation'], 'success'],
  ['marketplace_app_uninstalled', PACKAGE, ['deletion'], 'success'],
  ['api_token_created', IAM, ['creation'], 'success'],
  ['api_token_revoked', IAM, ['deletion'], 'success'],
  ['group_member_added', IAM, ['group', 'change'], 'success'],
  ['confluence_added_space_permission', CONFIG, ['info'], 'success'],
  ['jira_project_created', CONFIG, ['info'], 'success'],
  ['bitbucket_repo_deleted', CONFIG, ['info'], 'success'],
  // a prefix beats the policy suffix
  ['jira_security_policy_update', CONFIG, ['info'], 'success'],
  // suffix
  ['data_classification_policy_update', IAM_CONFIG, ['change'], 'success'],
  ['authentication_policy_update', IAM_CONFIG, ['change'], 'success'],
  // default
  ['domain_verified', CONFIG, ['info'], 'success'],
  ['USER_LOGIN', CONFIG, ['info'], 'success'],
  ['', [], [], 'unknown'],
];

describe('categorizeOrgAction', () => {
  it.each(cases)('%s -> %j / %j / %s', (action, category, type, outcome) => {
    expect(categorizeOrgAction(action)).toEqual({ category, type, outcome });
  });

  it('returns arrays callers may mutate without corrupting the rules', () => {
    categorizeOrgAction('user_login').category.push('tampered');
    expect(categorizeOrgAction('user_login').category).toEqual(AUTH);
  });
});
