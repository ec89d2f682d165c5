/**
 * ECS-style categorisation of Data Center audit events by their action i18n key, the one
 * field that is stable across languages and versions. The tables hold the same facts as
 * Elastic's ingest pipelines for these products (atlassian_{jira,confluence,bitbucket}
 * `default.yml`, "Add ECS categorization"), so a DC event lands in the same ECS buckets
 * whichever collector read it; test/sources/datacenter/categorize.test.ts checks every row
 * against those pipelines. As there, an unknown key is `type: [info]` with no category, and
 * an outcome is stated only where the key itself says it (a login that failed).
 */
import type { DcProduct } from './product.js';

export interface DcCategorization {
  readonly category: readonly string[];
  readonly type: readonly string[];
  readonly outcome?: 'success' | 'failure';
}

/** i18n key -> [categories, types, outcome?] (comma-separated, to keep one row per key). */
type Table = Readonly<Record<string, readonly [string, string, ('success' | 'failure')?]>>;

const JIRA: Table = {
  'jira.auditing.user.created': ['iam', 'user,creation'],
  'jira.auditing.user.updated': ['iam', 'user,change'],
  'jira.auditing.user.deleted': ['iam', 'user,deletion'],
  'jira.auditing.user.added.to.group': ['iam', 'group,change'],
  'jira.auditing.user.removed.from.group': ['iam', 'group,change'],
  'jira.auditing.user.logged.in': ['authentication', 'start', 'success'],
  'jira.auditing.user.logged.out': ['authentication', 'end'],
  'jira.auditing.user.password.changed': ['iam', 'user,change', 'success'],
  'jira.auditing.user.login.failed': ['authentication', 'info', 'failure'],
  'jira.auditing.websudo.session.started': ['authentication', 'start'],
  'jira.auditing.websudo.session.invalidated': ['authentication', 'end'],
  'jira.auditing.group.created': ['iam', 'group,creation'],
  'jira.auditing.group.deleted': ['iam', 'group,deletion'],
  'jira.auditing.global.permission.added': ['iam,configuration', 'admin,creation'],
  'personal.access.tokens.audit.log.summary.token.created': ['iam', 'admin,creation'],
  'personal.access.tokens.audit.log.summary.token.deleted': ['iam', 'admin,deletion'],
  'jira.auditing.issue.type.created': ['configuration', 'creation'],
  'atlassian.audit.event.action.audit.config.updated': ['configuration', 'admin,change'],
  'jira.auditing.project.created': ['configuration', 'creation'],
  'jira.auditing.project.lead.updated': ['configuration', 'change'],
  'jira.auditing.project.default.assignee.updated': ['configuration', 'change'],
  'jira.auditing.project.updated': ['configuration', 'change'],
  'jira.auditing.permission.scheme.removed.from.project': ['configuration,iam', 'deletion'],
  'jira.auditing.issue.type.screen.scheme.removed': ['configuration', 'deletion'],
  'jira.auditing.project.deleted': ['configuration', 'deletion'],
};

const CONFLUENCE: Table = {
  'audit.logging.summary.global.permission.added': ['iam,configuration', 'creation'],
  'audit.logging.summary.space.permission.added': ['iam,configuration', 'creation'],
  'audit.logging.summary.user.created': ['iam', 'user,creation'],
  'audit.logging.summary.user.renamed': ['iam', 'user,change'],
  'audit.logging.summary.user.updated': ['iam', 'user,change'],
  'audit.logging.summary.user.deleted': ['iam', 'user,deletion'],
  'audit.logging.summary.group.membership.added': ['iam', 'group,change'],
  'audit.logging.summary.group.membership.removed': ['iam', 'group,change'],
  'audit.logging.summary.group.created': ['iam', 'group,creation'],
  'audit.logging.summary.group.deleted': ['iam', 'group,deletion'],
  'atlassian.audit.event.action.audit.config.updated': ['configuration', 'change'],
  'audit.logging.summary.global.settings.edited': ['configuration', 'change'],
  'personal.access.tokens.audit.log.summary.token.created': ['iam', 'admin,creation'],
  'personal.access.tokens.audit.log.summary.token.deleted': ['iam', 'admin,deletion'],
  'audit.logging.summary.login.success': ['authentication', 'start', 'success'],
  'audit.logging.summary.user.logout': ['authentication', 'end'],
  'audit.logging.summary.login.failed': ['authentication', 'info', 'failure'],
  'audit.logging.summary.user.password.changed': ['iam', 'user,change', 'success'],
  'audit.logging.summary.sudo.auth.successful': ['authentication', 'start'],
  'audit.logging.summary.sudo.logout': ['authentication', 'end'],
  'audit.logging.summary.space.created': ['configuration', 'creation'],
  'audit.logging.summary.page.created': ['configuration', 'creation'],
  'audit.logging.summary.page.deleted': ['configuration', 'deletion'],
  'audit.logging.summary.space.removed': ['configuration', 'deletion'],
  'audit.logging.summary.space.config.updated': ['configuration', 'change'],
};

const BITBUCKET: Table = {
  'bitbucket.service.user.audit.action.usercreated': ['iam', 'user,creation'],
  'bitbucket.service.user.audit.action.userrenamed': ['iam', 'user,change'],
  'bitbucket.service.user.audit.action.usercredentialupdated': ['iam', 'user,change', 'success'],
  'bitbucket.service.user.audit.action.userdeleted': ['iam', 'user,deletion'],
  'bitbucket.service.user.audit.action.groupmembershipscreated.user': ['iam', 'group,change'],
  'bitbucket.service.user.audit.action.groupmembershipdeleted': ['iam', 'group,change'],
  'bitbucket.service.user.audit.action.authenticationsuccess': ['authentication', 'start', 'success'],
  'bitbucket.web.audit.action.logoutsuccess': ['authentication', 'end'],
  'bitbucket.service.user.audit.action.authenticationfailure': ['authentication', 'info', 'failure'],
  'bitbucket.service.user.audit.action.groupcreated': ['iam', 'group,creation'],
  'bitbucket.service.user.audit.action.groupdeleted': ['iam', 'group,deletion'],
  'bitbucket.service.user.audit.action.projectpermissiongranted': ['iam,configuration', 'creation'],
  'bitbucket.access.tokens.audit.action.accesstokencreated.personal': ['iam', 'creation'],
  'bitbucket.access.tokens.audit.action.accesstokendeleted.personal': ['iam', 'deletion'],
  'bitbucket.access.tokens.audit.action.accesstokenmodified.personal': ['iam', 'change'],
  'bitbucket.access.tokens.audit.action.accesstokencreated.repository': ['iam', 'creation'],
  'bitbucket.access.tokens.audit.action.accesstokendeleted.repository': ['iam', 'deletion'],
  'bitbucket.access.tokens.audit.action.accesstokenmodified.repository': ['iam', 'change'],
  'bitbucket.ssh.audit.action.sshkeycreated': ['iam', 'creation'],
  'bitbucket.ssh.audit.action.sshkeydeleted': ['iam', 'deletion'],
  'bitbucket.ssh.audit.action.sshaccesskeygranted.repository': ['iam', 'creation'],
  'bitbucket.ssh.audit.action.sshaccesskeyrevoked.repository': ['iam', 'deletion'],
  'bitbucket.plugins.gpg.audit.action.gpgevent.created': ['iam', 'creation'],
  'bitbucket.plugins.gpg.audit.action.gpgevent.deleted': ['iam', 'deletion'],
  'bitbucket.service.user.audit.action.repositorypermissiongranted': ['iam,configuration', 'creation'],
  'bitbucket.service.user.audit.action.repositorypermissiongrantrequested': ['iam,configuration', 'creation'],
  'bitbucket.service.user.audit.action.repositorypermissionrevoked': ['iam,configuration', 'deletion'],
  'bitbucket.service.user.audit.action.repositorypermissionrevocationrequested': ['iam,configuration', 'deletion'],
  'atlassian.audit.event.action.audit.config.updated': ['configuration', 'change'],
  'bitbucket.service.repository.audit.action.repositoryaccessed': ['web', 'access'],
  'bitbucket.service.repository.audit.action.repositorymodified': ['configuration', 'change'],
  'bitbucket.service.repository.audit.action.repositorymodificationrequested': ['configuration', 'change'],
  'bitbucket.service.repository.audit.action.repositorydeleted': ['configuration', 'deletion'],
  'bitbucket.service.project.audit.action.projectcreated': ['configuration', 'creation'],
  'bitbucket.service.project.audit.action.projectdeleted': ['configuration', 'deletion'],
  'bitbucket.service.project.audit.action.projectdeletionrequested': ['configuration', 'deletion'],
  'bitbucket.service.project.audit.action.projectmodified': ['configuration', 'change'],
  'bitbucket.service.project.audit.action.projectmodificationrequested': ['configuration', 'change'],
};

const TABLES: Readonly<Record<DcProduct, Table>> = { jira: JIRA, confluence: CONFLUENCE, bitbucket: BITBUCKET };

const UNKNOWN: DcCategorization = { category: [], type: ['info'] };

export function categorizeDcAction(product: DcProduct, actionKey: unknown): DcCategorization {
  if (typeof actionKey !== 'string') return UNKNOWN;
  const row = Object.hasOwn(TABLES[product], actionKey) ? TABLES[product][actionKey] : undefined;
  if (row === undefined) return UNKNOWN;
  const [category, type, outcome] = row;
  return { category: category.split(','), type: type.split(','), ...(outcome ? { outcome } : {}) };
}
