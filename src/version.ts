import { createRequire } from 'node:module';

// Read once at start-up; package.json sits one level above both src/ and dist/.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const RECEIVER_VERSION: string = pkg.version;
export const RECEIVER_NAME = 'atlassian-audit-receiver';
