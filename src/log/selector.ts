/**
 * Field selectors: which values of a record to hash.
 *
 * Grammar (steps separated by dots; bracket steps may follow a name directly):
 *
 * - `name` — the member `name` of an object (any characters but `.`, `[`, `]`);
 * - `["name"]` or `['name']` — the same, for names containing those characters;
 * - `*` — every member of an object, or every element of an array (one level);
 * - `**` — any number of levels, zero included (`**.phone` is `phone` at any depth);
 * - `[]` or `[*]` — every element of an array (a value that is not an array counts as its only
 *   element, so that `items[].email` also covers a record where `items` is a single object);
 * - `[n]` — element n of an array.
 *
 * Examples: `user.phone`, `*.idCard`, `items[].email`, `**.mobile`, `["x.y"].z`, `a[0].b`.
 * A selector must end with a member, `*`, `[]` or `[n]` step (not with `**`).
 * @module
 */

/** One compiled step. */
export type Step =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'each' }
  | { kind: 'star' }
  | { kind: 'globstar' };

function fail(selector: string, why: string): never {
  throw new RangeError(`invalid field selector '${selector}': ${why}`);
}

/**
 * Parses a selector into its steps.
 * @throws TypeError if it is not a string; RangeError if it is empty or malformed
 */
export function parseSelector(selector: unknown): Step[] {
  if (typeof selector !== 'string') throw new TypeError(`a field selector must be a string, got type ${typeof selector}`);
  if (selector.length === 0) fail(selector, 'it is empty');
  const steps: Step[] = [];
  let i = 0;
  const n = selector.length;
  // expectName: at the start or after a dot, where a bare name (or * / **) may appear.
  let expectName = true;
  while (i < n) {
    const c = selector[i]!;
    if (c === '[') {
      const close = selector.indexOf(']', i);
      const quote = selector[i + 1];
      if (quote === '"' || quote === "'") {
        const end = selector.indexOf(quote + ']', i + 2);
        if (end < 0) fail(selector, `unterminated quoted name at ${i}`);
        steps.push({ kind: 'key', name: selector.slice(i + 2, end) });
        i = end + 2;
      } else {
        if (close < 0) fail(selector, `unterminated [ at ${i}`);
        const inner = selector.slice(i + 1, close);
        if (inner === '' || inner === '*') steps.push({ kind: 'each' });
        else if (/^\d{1,9}$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
        else fail(selector, `'[${inner}]' is neither [], [*], [n] nor a quoted name`);
        i = close + 1;
      }
      expectName = false;
      if (i < n && selector[i] !== '.' && selector[i] !== '[') fail(selector, `expected . or [ at ${i}`);
      continue;
    }
    if (c === '.') {
      if (expectName) fail(selector, `empty step at ${i}`);
      expectName = true;
      i++;
      if (i === n) fail(selector, 'it ends with a dot');
      continue;
    }
    if (!expectName) fail(selector, `expected . or [ at ${i}`);
    let j = i;
    while (j < n && selector[j] !== '.' && selector[j] !== '[') {
      if (selector[j] === ']') fail(selector, `unexpected ] at ${j}`);
      j++;
    }
    const name = selector.slice(i, j);
    if (name === '*') steps.push({ kind: 'star' });
    else if (name === '**') {
      if (steps.at(-1)?.kind === 'globstar') fail(selector, '** follows **');
      steps.push({ kind: 'globstar' });
    } else steps.push({ kind: 'key', name });
    expectName = false;
    i = j;
  }
  if (steps.at(-1)?.kind === 'globstar') fail(selector, 'it ends with **');
  return steps;
}
