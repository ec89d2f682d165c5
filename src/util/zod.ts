/**
 * The parts of zod this project uses. Imported as `import * as z from '…/util/zod.js'`, so the
 * code reads as zod's own `z.` namespace; but `import { z } from 'zod'` keeps every locale and the
 * JSON Schema converters in the bundle (750 KB of its 1.3 MB start-up code, about 4 MB of RSS).
 */
export { array, boolean, coerce, discriminatedUnion, enum, int, literal, looseObject, NEVER, number, object, record, strictObject, string, tuple, union, unknown } from 'zod';
export type { core, infer, output, ZodType } from 'zod';
