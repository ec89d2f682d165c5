import { describe, expect, it } from 'vitest';
import { categorizeAuditSummary } from '../../../src/sources/windowed/summary-categorize.js';

describe('categorizeAuditSummary', () => {
  it.each([
    // Jira Cloud
    ['User created', 'user management', ['iam'], ['user', 'creation'], 'success'],
    ['User deleted', 'user management', ['iam'], ['user', 'deletion'], 'success'],
    ['User added to group', 'group management', ['iam'], ['group', 'change'], 'success'],
    ['User removed from group', 'group management', ['iam'], ['group', 'change'], 'success'],
    ['Group deleted', 'group management', ['iam'], ['group', 'deletion'], 'success'],
    ['Global permission added', 'permissions', ['iam', 'configuration'], ['creation'], 'success'],
    ['Permission scheme updated', 'permissions', ['iam', 'configuration'], ['change'], 'success'],
    ['Project role deleted', 'projects', ['iam', 'configuration'], ['deletion'], 'success'],
    ['Customer invited notification changed', 'projects', ['configuration'], ['change'], 'success'],
    ['Workflow scheme added to project', 'workflows', ['configuration'], ['change'], 'success'],
    ['Audit Log search performed', 'auditing', ['configuration'], ['access'], 'success'],
    ['User login failed', 'security', ['authentication'], ['info'], 'failure'],
    ['Failed login attempt', '', ['authentication'], ['info'], 'failure'],
    ['User logged in', 'security', ['authentication'], ['info'], 'success'],
    ['API token created', 'security', ['iam'], ['creation'], 'success'],
    // Confluence Cloud
    ['Space permission added', 'Permissions', ['iam', 'configuration'], ['creation'], 'success'],
    ['User deactivated', 'Users and groups', ['iam'], ['user', 'change'], 'success'],
    ['Space created', 'Spaces', ['configuration'], ['creation'], 'success'],
    ['Space exported', 'Import/export', ['configuration'], ['access'], 'success'],
    ['App installed', 'Apps', ['configuration', 'package'], ['installation'], 'success'],
    ['App uninstalled', 'Apps', ['configuration', 'package'], ['deletion'], 'success'],
  ])('%s (%s)', (summary, category, expectedCategory, type, outcome) => {
    expect(categorizeAuditSummary(summary, category)).toEqual({ category: expectedCategory, type, outcome });
  });

  it('says nothing for a record without summary or category', () => {
    expect(categorizeAuditSummary(undefined, 42)).toEqual({ category: [], type: [], outcome: 'unknown' });
  });

  it('falls back to configuration/info for wording it does not know', () => {
    expect(categorizeAuditSummary('Something happened', 'misc')).toEqual({ category: ['configuration'], type: ['info'], outcome: 'success' });
  });

  it('answers a repeated wording from memory exactly as the first time, and never mixes up summary and category', () => {
    const first = categorizeAuditSummary('Login failed', '');
    expect(categorizeAuditSummary('Login failed', '')).toEqual(first);
    expect(first).toEqual({ category: ['authentication'], type: ['info'], outcome: 'failure' });
    // The same characters, all in the category: nothing says it failed.
    expect(categorizeAuditSummary('', 'Login failed')).toEqual({ category: ['configuration'], type: ['info'], outcome: 'success' });
    expect(categorizeAuditSummary('Login failed', '')).toEqual(first);
  });

  it('returns fresh arrays', () => {
    const a = categorizeAuditSummary('User created', '');
    a.type.push('mutated');
    expect(categorizeAuditSummary('User created', '').type).toEqual(['user', 'creation']);
  });
});
