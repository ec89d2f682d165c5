/** The Data Center products whose audit log this receiver reads (one platform, three apps). */
export const DC_PRODUCTS = ['jira', 'confluence', 'bitbucket'] as const;
export type DcProduct = (typeof DC_PRODUCTS)[number];
