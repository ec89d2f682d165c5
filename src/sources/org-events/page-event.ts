import { ResponseFormatError } from '../../errors/response-format-error.js';
import { parsedElement } from '../../util/json-array-member.js';

/**
 * The page's i-th event, parsed now (the client leaves each as its JSON text). One that is not
 * JSON fails the page as a malformed body would have: nothing of it is delivered or committed.
 */
export function pageEvent(data: readonly unknown[], i: number, at: { readonly sourceName: string; readonly path: string }): unknown {
  try {
    return parsedElement(data[i]);
  } catch (err) {
    throw new ResponseFormatError(`response body is not valid JSON (event ${i + 1} of ${data.length} in data)`, { source: at.sourceName, method: 'GET', path: at.path, status: 200 }, { cause: err });
  }
}
