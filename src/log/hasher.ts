/**
 * createFieldHasher: replaces selected fields of log records by keyed SM3 pseudonyms.
 *
 * Why keyed (HMAC-SM3) and not a salted hash: the values worth hiding come from small spaces. A
 * mainland mobile number is 11 digits from 1 (about 10^10 live candidates, 10^11 at most); a
 * resident ID card is a birth date, a region and a few digits. Anyone holding a log line and the
 * salt (which sits next to the code or in the config, and must be the same everywhere for
 * pseudonyms to link) can hash every candidate in hours on one GPU and read the log in clear. With
 * HMAC-SM3 the attacker also needs the key, which can be kept in a KMS or HSM and rotated; without
 * it the pseudonyms are indistinguishable from random. Salted SM3 is offered only to reproduce
 * pseudonyms already in old logs.
 *
 * Output: `<prefix>:<keyId>:<digest>` (`sm3:2025q1:…`), so that a reader knows which key
 * produced a value after rotation, and a matcher holding several keys can check any of them.
 * @module
 */
import { aint, aoneOf, aoptions, equalBytes } from '../utils.js';
import { canonicalJson } from './canonical.js';
import { HashEngine, type LogHashAlgorithm } from './hash-engine.js';
import { HexTokens } from './hex-tokens.js';
import { checkKey, checkKeyId, defaultKeyId } from './keys.js';
import { resolveNormalizer, type Normalizer } from './normalize.js';
import { parseSelector, type Step } from './selector.js';

/** A field to hash, with its normaliser and its domain. */
export interface FieldSpec {
  /** The selector (`user.phone`, `*.idCard`, `items[].email`, `**.mobile`; see selector.ts). */
  path: string;
  /** How to normalise the value first (default 'none'): 'phone', 'idCard', 'email', … or a function. */
  normalize?: Normalizer;
  /**
   * The domain whose key hashes this field (default: the hasher's `domain` option, else the
   * selector text). Fields with the same domain give the same pseudonym for the same value, so
   * they can be joined; different domains give unrelated pseudonyms.
   */
  domain?: string;
}

/** A key with its ID, for rotation. */
export interface LogKey {
  /** The key ID written into every pseudonym (default: 8 hex digits derived from the key). */
  keyId?: string;
  /** The key: random bytes, at least 16 (32 recommended). */
  key: Uint8Array;
}

/** Options of {@link createFieldHasher}. */
export interface FieldHasherOptions {
  /** The key (random bytes, at least 16; 32 recommended). Give `key` or `keys`. */
  key?: Uint8Array;
  /** ID of `key` (1..64 of A-Z a-z 0-9 . _ -; default derived from the key). */
  keyId?: string;
  /**
   * Several keys, for rotation: the first one hashes, all of them are used by `matches()` and
   * `pseudonyms()` (e.g. to find a person in logs older than the last rotation).
   */
  keys?: readonly LogKey[];
  /** The fields to hash: selectors, or {@link FieldSpec}s for a normaliser or a domain. */
  fields: readonly (string | FieldSpec)[];
  /**
   * 'hmac-sm3' (default): HMAC-SM3 under a per-domain key derived from `key`.
   * 'salted-sm3': SM3(key || value), the key acting as salt, with no domain separation. Weaker
   * (anyone with the salt can test every phone number); only to match pseudonyms in old logs.
   */
  algorithm?: LogHashAlgorithm;
  /** Digest encoding: 'hex' (default) or 'base64url' (no padding). */
  encoding?: 'hex' | 'base64url';
  /** Digest bytes kept, 16..32 (default 32). */
  digestLength?: number;
  /**
   * The tag in front of `:<keyId>:<digest>` (default 'sm3'; 'sm3s' for salted SM3), or false
   * to write the bare digest (as ad-hoc schemes do; then the key ID is not recorded).
   */
  prefix?: string | false;
  /**
   * One domain for every field that does not name its own: the same value then gets the same
   * pseudonym in every field (cross-field linking). Default: one domain per field selector.
   */
  domain?: string;
  /** What replaces a value that cannot be hashed (default '[unhashable]'). */
  marker?: string;
  /** Modify the record passed in instead of returning a copy (default false). */
  inPlace?: boolean;
  /**
   * Remember about this many recent pseudonyms per domain (default 0: off). Logs repeat the same
   * users, so a cache saves most hashing; but it keeps those values, in clear, in memory as map
   * keys (normalised), for as long as they stay recent.
   */
  cacheSize?: number;
}

/** Counters of a hasher, since it was created or reset. */
export interface FieldHasherStats {
  /** Records seen (including ones that are not objects, which pass through). */
  records: number;
  /** Values replaced by a pseudonym. */
  hashed: number;
  /** Values replaced by the marker because they could not be hashed. */
  failed: number;
  /** Pseudonyms served from the cache (counted in `hashed` too). */
  cacheHits: number;
}

/** The function returned by {@link createFieldHasher}. */
export interface FieldHasher {
  /**
   * Returns `record` with its selected fields replaced by pseudonyms: a copy that shares every
   * untouched branch with the original (or the record itself with `inPlace`). Never throws: a
   * value that cannot be hashed is replaced by the marker and counted; a non-object passes as is.
   */
  <T>(record: T): T;
  /** As the hasher on each record, hashing all of their fields in one batch. */
  hashRecords<T>(records: readonly T[]): T[];
  /**
   * The pseudonym of one value of `field` (a selector or a domain from the options) under the
   * current key, or under the key `keyId`.
   * @throws RangeError for an unknown field or key ID; TypeError for a value that cannot be hashed
   */
  hashValue(field: string, value: unknown, keyId?: string): string;
  /** The pseudonyms of `value` under every key, current first (to search logs across rotations). */
  pseudonyms(field: string, value: unknown): string[];
  /**
   * Whether `pseudonym` is the pseudonym of `value` in `field` under one of the keys (the one its
   * key ID names; every key for bare digests). False for anything malformed.
   */
  matches(field: string, value: unknown, pseudonym: string): boolean;
  /** The current key ID. */
  readonly keyId: string;
  /** Every key ID, current first. */
  readonly keyIds: readonly string[];
  /** The counters (a live view). */
  readonly stats: Readonly<FieldHasherStats>;
  /** Sets the counters to zero. */
  resetStats(): void;
  /** Wipes the keys; the hasher must not be used afterwards. */
  destroy(): void;
}

interface CompiledField {
  path: string;
  steps: Step[];
  normalize: ((s: string) => string) | undefined;
  domain: string;
  /** Domain index in the current engine. */
  index: number;
}

interface KeyEntry {
  keyId: string;
  engine: HashEngine;
}

/** Record's containers along the selected paths, copied on first write (copy-on-write). */
class Ref {
  copy: object | undefined;
  children: Map<PropertyKey, Ref> | undefined;
  claimed: Set<PropertyKey> | undefined;
  constructor(
    readonly orig: object,
    readonly parent: Ref | undefined,
    readonly key: PropertyKey,
  ) {}

  child(key: PropertyKey, value: object): Ref {
    let c = this.children?.get(key);
    if (!c) {
      c = new Ref(value, this, key);
      (this.children ??= new Map()).set(key, c);
    }
    return c;
  }

  /** True the first time (ref, key) is claimed: a value matched by two selectors is hashed once. */
  claim(key: PropertyKey): boolean {
    if (this.claimed?.has(key)) return false;
    (this.claimed ??= new Set()).add(key);
    return true;
  }

  writable(inPlace: boolean): Record<PropertyKey, unknown> {
    if (this.copy === undefined) {
      this.copy = inPlace ? this.orig : shallowCopy(this.orig);
      if (this.parent && !inPlace) this.parent.writable(false)[this.key] = this.copy;
    }
    return this.copy as Record<PropertyKey, unknown>;
  }
}

function shallowCopy(o: object): object {
  if (Array.isArray(o)) return o.slice();
  const proto = Object.getPrototypeOf(o) as object | null;
  try {
    // Spread is the fast path for plain objects (and keeps symbol keys, which winston uses).
    if (proto === Object.prototype) return { ...o };
    return Object.assign(Object.create(proto) as object, o);
  } catch {
    // A getter threw: copy the property definitions instead of reading them.
    return Object.create(proto, Object.getOwnPropertyDescriptors(o)) as object;
  }
}

/** Sets `key` to `value`, also over a getter without a setter (in a copy, or with inPlace). */
function put(target: Record<PropertyKey, unknown>, key: PropertyKey, value: string): void {
  try {
    target[key] = value;
    if (target[key] === value) return;
  } catch {
    // fall through to defineProperty
  }
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Turns a value into the text that is hashed. @throws TypeError when it cannot be hashed. */
function messageOf(value: unknown, normalize: ((s: string) => string) | undefined): string {
  let s: string;
  switch (typeof value) {
    case 'string':
      s = value;
      break;
    case 'number':
    case 'bigint':
    case 'boolean':
      s = String(value);
      break;
    case 'object':
      // A nested object or array is hashed whole, in canonical form (key order does not matter).
      return canonicalJson(value);
    default:
      throw new TypeError(`cannot hash a value of type ${typeof value}`);
  }
  if (normalize) {
    s = normalize(s);
    if (typeof s !== 'string') throw new TypeError('a normaliser returned something other than a string');
  }
  return s;
}

/**
 * Per-call scratch: the values found in a batch of records, entries 0..count-1 of parallel
 * arrays that are kept from call to call (emptied of references after each).
 */
interface Slots {
  count: number;
  refs: (Ref | undefined)[];
  keys: PropertyKey[];
  values: unknown[];
  fields: (CompiledField | undefined)[];
  /** Failed reads (a throwing getter): marker without hashing. */
  broken: boolean[];
  /**
   * Per slot, once flush() has looked at it: a finished pseudonym (cache hit), null (cannot be
   * hashed: the marker) or the position of its digest in the batch.
   */
  done: (string | number | null)[];
}

const PREFIX = /^[A-Za-z0-9._-]{1,16}$/;

/**
 * The selectors as a tree of member names, when every one of them is a plain chain of names
 * (`phone`, `user.phone`) and none is a prefix of another: the common configuration, walked
 * without the general machinery (no wildcards, so no value can be reached twice).
 */
interface Member {
  name: string;
  /** The field selected here (a leaf), or undefined (an inner member). */
  field: CompiledField | undefined;
  children: Member[];
  /** Fields at or below this member (what a failed read here costs them). */
  fields: number;
}

function memberPlan(fields: readonly CompiledField[]): Member[] | undefined {
  const top: Member[] = [];
  for (const f of fields) {
    let level = top;
    for (let i = 0; i < f.steps.length; i++) {
      const step = f.steps[i]!;
      if (step.kind !== 'key') return undefined;
      const last = i === f.steps.length - 1;
      let m = level.find((x) => x.name === step.name);
      if (!m) {
        m = { name: step.name, field: undefined, children: [], fields: 0 };
        level.push(m);
      } else if (m.field || last) {
        return undefined; // the same selector twice, or one a prefix of another
      }
      m.fields++;
      if (last) m.field = f;
      level = m.children;
    }
  }
  return top;
}

/**
 * Creates a field hasher: a function that returns a record with the selected fields replaced by
 * keyed SM3 pseudonyms `sm3:<keyId>:<digest>`.
 *
 * Each field is hashed with HMAC-SM3 under a key derived from `key` and the field's domain
 * (`HMAC-SM3(key, "guomi-log-v1:field:" || domain)`, see keys.ts), after its normaliser. The
 * record passed in is never modified (unless `inPlace`); the copy shares all untouched branches.
 *
 * @param options key (or keys), fields and output options; see {@link FieldHasherOptions}
 * @throws TypeError / RangeError for invalid options (the returned hasher itself never throws)
 * @example
 * const hash = createFieldHasher({
 *   key, keyId: '2025q1',
 *   fields: [{ path: 'user.phone', normalize: 'phone' }, { path: '*.idCard', normalize: 'idCard' }, 'items[].email'],
 * });
 * hash({ user: { phone: '+86 138 0013 8000' } }) // { user: { phone: 'sm3:2025q1:…' } }
 */
export function createFieldHasher(options: FieldHasherOptions): FieldHasher {
  const o = aoptions<FieldHasherOptions>(options);
  const algorithm = o.algorithm === undefined ? 'hmac-sm3' : aoneOf(o.algorithm, 'algorithm', ['hmac-sm3', 'salted-sm3'] as const);
  const encoding = o.encoding === undefined ? 'hex' : aoneOf(o.encoding, 'encoding', ['hex', 'base64url'] as const);
  const digestLength = o.digestLength === undefined ? 32 : aint(o.digestLength, 'digestLength', 16, 32);
  let prefix: string | false = algorithm === 'hmac-sm3' ? 'sm3' : 'sm3s';
  if (o.prefix !== undefined) {
    if (o.prefix !== false && (typeof o.prefix !== 'string' || !PREFIX.test(o.prefix))) {
      throw new RangeError('"prefix" must be false or 1 to 16 characters from A-Z a-z 0-9 . _ -');
    }
    prefix = o.prefix;
  }
  const marker = o.marker ?? '[unhashable]';
  if (typeof marker !== 'string') throw new TypeError('"marker" must be a string');
  const inPlace = o.inPlace ?? false;
  if (typeof inPlace !== 'boolean') throw new TypeError('"inPlace" must be a boolean');
  const cacheSize = o.cacheSize === undefined ? 0 : aint(o.cacheSize, 'cacheSize', 0, 10_000_000);
  if (o.domain !== undefined && typeof o.domain !== 'string') throw new TypeError('"domain" must be a string');

  // Keys: `key` (+ keyId) or `keys`.
  let keyList: readonly LogKey[];
  if (o.keys !== undefined) {
    if (o.key !== undefined || o.keyId !== undefined) throw new TypeError('give either "key" (and "keyId") or "keys", not both');
    if (!Array.isArray(o.keys) || o.keys.length === 0) throw new TypeError('"keys" must be a non-empty array of { keyId, key }');
    keyList = o.keys;
  } else {
    if (o.key === undefined) throw new TypeError('"key" is required (random bytes, at least 16)');
    keyList = [{ key: o.key, keyId: o.keyId }];
  }
  const entries: KeyEntry[] = keyList.map((k, i) => {
    const kk = aoptions<LogKey>(k, `keys[${i}]`);
    const name = o.keys ? `keys[${i}].key` : 'key';
    const key = checkKey(kk.key, name);
    const keyId = kk.keyId === undefined ? defaultKeyId(key) : checkKeyId(kk.keyId, o.keys ? `keys[${i}].keyId` : 'keyId');
    return { keyId, engine: new HashEngine(key, algorithm) };
  });
  const byKeyId = new Map<string, KeyEntry>();
  for (const e of entries) {
    if (byKeyId.has(e.keyId)) throw new RangeError(`duplicate key ID '${e.keyId}'`);
    byKeyId.set(e.keyId, e);
  }
  const current = entries[0]!;
  const engine = current.engine;

  // Fields.
  if (!Array.isArray(o.fields) || o.fields.length === 0) throw new TypeError('"fields" must be a non-empty array of selectors');
  const fields: CompiledField[] = o.fields.map((f: unknown, i: number) => {
    const spec: FieldSpec = typeof f === 'string' ? { path: f } : (aoptions<FieldSpec>(f, `fields[${i}]`) as FieldSpec);
    const steps = parseSelector(spec.path);
    if (spec.domain !== undefined && typeof spec.domain !== 'string') throw new TypeError(`"fields[${i}].domain" must be a string`);
    const domain = spec.domain ?? o.domain ?? spec.path;
    return {
      path: spec.path,
      steps,
      normalize: resolveNormalizer(spec.normalize, `fields[${i}].normalize`),
      domain,
      index: engine.domain(domain),
    };
  });
  const byName = new Map<string, CompiledField>();
  for (const f of fields) if (!byName.has(f.path)) byName.set(f.path, f);
  for (const f of fields) if (!byName.has(f.domain)) byName.set(f.domain, f);

  const tagOf = (keyId: string) => (prefix === false ? '' : `${prefix}:${keyId}:`);
  const currentTag = tagOf(current.keyId);
  const encode = (out: Buffer, i: number) => out.toString(encoding, i * 32, i * 32 + digestLength);
  const hexTokens = encoding === 'hex' ? new HexTokens(currentTag, digestLength) : undefined;

  const stats: FieldHasherStats = { records: 0, hashed: 0, failed: 0, cacheHits: 0 };
  // The cache, per domain: two generations of at most cacheSize/2 entries each. A hit in the old
  // generation moves the entry to the young one; when the young one is full it becomes the old
  // one and the old one is dropped. Approximately LRU, with no deletions on the hot path.
  const half = Math.max(1, Math.ceil(cacheSize / 2));
  const young: Map<string, string>[] = [];
  const old: Map<string, string>[] = [];
  const cache = cacheSize > 0;
  const cacheGet = (d: number, text: string): string | undefined => {
    let hit = young[d]?.get(text);
    if (hit === undefined) {
      hit = old[d]?.get(text);
      if (hit !== undefined) cachePut(d, text, hit);
    }
    return hit;
  };
  const cachePut = (d: number, text: string, token: string): void => {
    let y = young[d];
    if (!y) young[d] = y = new Map();
    else if (y.size >= half) {
      old[d] = y;
      young[d] = y = new Map();
    }
    y.set(text, token);
  };
  const slots: Slots = { count: 0, refs: [], keys: [], values: [], fields: [], broken: [], done: [] };

  // Two selectors can only reach the same value if one has a wildcard or an index, or if two are
  // the same; otherwise the bookkeeping that hashes such a value once is skipped.
  const mayOverlap =
    fields.some((f) => f.steps.some((st) => st.kind !== 'key')) ||
    new Set(fields.map((f) => f.steps.map((st) => (st.kind === 'key' ? st.name : '')).join('\u0000'))).size < fields.length;

  const plan = mayOverlap ? undefined : memberPlan(fields);

  function emit(ref: Ref, key: PropertyKey, value: unknown, field: CompiledField, broken: boolean): void {
    // Absent and null values carry nothing to hide; they stay as they are.
    if (!broken && (value === undefined || value === null)) return;
    if (mayOverlap && !ref.claim(key)) return;
    const s = slots.count++;
    slots.refs[s] = ref;
    slots.keys[s] = key;
    slots.values[s] = value;
    slots.fields[s] = field;
    slots.broken[s] = broken;
  }

  /** The root of the record being walked. */
  let root: Ref;
  /**
   * Containers on the path currently walked below a `**`: meeting one again means a cycle. (A
   * container shared by two branches is walked once per branch, so both copies get hashed.)
   */
  const path = new Set<object>();

  /** Applies steps[i..] to `value`, found at `ref[key]` (`ref` undefined: `value` is the root). */
  function visit(ref: Ref | undefined, key: PropertyKey, value: unknown, steps: Step[], i: number, field: CompiledField): void {
    if (i === steps.length) {
      if (ref) emit(ref, key, value, field, false);
      return;
    }
    const step = steps[i]!;
    if (!isObject(value)) {
      // `[]` on a single value: that value is its only element.
      if (step.kind === 'each') visit(ref, key, value, steps, i + 1, field);
      return;
    }
    const here = ref ? ref.child(key, value) : root;
    switch (step.kind) {
      case 'key':
        if (Object.prototype.hasOwnProperty.call(value, step.name)) descend(here, value, step.name, steps, i + 1, field);
        return;
      case 'index':
        if (Array.isArray(value) && step.index < value.length) descend(here, value, step.index, steps, i + 1, field);
        return;
      case 'each':
        if (Array.isArray(value)) for (let j = 0; j < value.length; j++) descend(here, value, j, steps, i + 1, field);
        else visit(ref, key, value, steps, i + 1, field);
        return;
      case 'star':
        if (Array.isArray(value)) for (let j = 0; j < value.length; j++) descend(here, value, j, steps, i + 1, field);
        else for (const k of Object.keys(value)) descend(here, value, k, steps, i + 1, field);
        return;
      case 'globstar': {
        if (path.has(value)) return;
        path.add(value);
        try {
          // Zero levels here, then one level further down with ** still pending.
          visit(ref, key, value, steps, i + 1, field);
          const keys: PropertyKey[] = Array.isArray(value) ? value.map((_, j) => j) : Object.keys(value);
          for (const k of keys) {
            let child: unknown;
            try {
              child = (value as Record<PropertyKey, unknown>)[k];
            } catch {
              continue;
            }
            if (isObject(child)) visit(here, k, child, steps, i, field);
          }
        } finally {
          path.delete(value);
        }
        return;
      }
    }
  }

  function descend(here: Ref, container: object, k: PropertyKey, steps: Step[], i: number, field: CompiledField): void {
    let child: unknown;
    try {
      child = (container as Record<PropertyKey, unknown>)[k];
    } catch {
      // A throwing getter: if it was the selected value itself, mark it; otherwise skip.
      if (i === steps.length) emit(here, k, undefined, field, true);
      return;
    }
    visit(here, k, child, steps, i, field);
  }

  /**
   * The plan's walk over `container` (at `ref`): the same values, markers and counts as visiting
   * each selector in turn, in one pass.
   */
  function walkPlan(members: readonly Member[], container: object, ref: Ref): void {
    for (const m of members) {
      let value: unknown;
      try {
        if (!Object.prototype.hasOwnProperty.call(container, m.name)) continue;
      } catch {
        // A Proxy: as when visiting, every selector through here counts one failure.
        stats.failed += m.fields;
        continue;
      }
      try {
        value = (container as Record<string, unknown>)[m.name];
      } catch {
        if (m.field) emit(ref, m.name, undefined, m.field, true);
        continue;
      }
      if (m.field) emit(ref, m.name, value, m.field, false);
      else if (isObject(value)) walkPlan(m.children, value, ref.child(m.name, value));
    }
  }

  /** Drops the references the slots hold (values in clear among them) and empties them. */
  function clearSlots(): void {
    for (let s = 0; s < slots.count; s++) slots.refs[s] = slots.values[s] = slots.fields[s] = undefined;
    slots.count = 0;
  }

  /** Hashes every slot found and writes the pseudonyms (or the marker). */
  function flush(): void {
    const n = slots.count;
    const done = slots.done;
    for (let s = 0; s < n; s++) {
      if (slots.broken[s]) {
        done[s] = null;
        continue;
      }
      const field = slots.fields[s]!;
      let text: string;
      try {
        text = messageOf(slots.values[s], field.normalize);
      } catch {
        done[s] = null;
        continue;
      }
      if (cache) {
        const hit = cacheGet(field.index, text);
        if (hit !== undefined) {
          stats.cacheHits++;
          done[s] = hit;
          continue;
        }
        slots.values[s] = text; // remembered for the insertion below
      }
      done[s] = engine.add(field.index, text);
    }
    const batch = engine.size;
    const digests = batch > 0 ? engine.run() : undefined;
    if (digests && hexTokens) hexTokens.write(digests, batch);
    for (let s = 0; s < n; s++) {
      const d = done[s]!;
      done[s] = null;
      let token: string;
      if (d === null) token = marker;
      else if (typeof d === 'string') token = d;
      else {
        token = hexTokens ? hexTokens.token(d) : currentTag + encode(digests!, d);
        if (cache) cachePut(slots.fields[s]!.index, slots.values[s] as string, token);
      }
      try {
        put(slots.refs[s]!.writable(inPlace), slots.keys[s]!, token);
        if (d === null) stats.failed++;
        else stats.hashed++;
      } catch {
        // A frozen object or a throwing setter (inPlace only): nothing more can be done.
        stats.failed++;
      }
    }
    clearSlots();
  }

  /** Finds the selected values of one record (an object) into the slots; returns its root. */
  function collect(record: object): Ref {
    const r = (root = new Ref(record, undefined, ''));
    if (plan) {
      walkPlan(plan, record, r);
      return r;
    }
    for (const f of fields) {
      try {
        visit(undefined, '', record, f.steps, 0, f);
      } catch {
        // Walking threw (a Proxy, a stack overflow on absurd nesting): what was found is hashed.
        path.clear();
        stats.failed++;
      }
    }
    return r;
  }

  function flushNeverThrowing(): void {
    try {
      flush();
    } catch {
      // Only if the hash engine itself fails; counted, never thrown.
      stats.failed += slots.count;
      clearSlots();
    }
  }

  function hashOne<T>(record: T): T {
    stats.records++;
    if (!isObject(record)) return record;
    const r = collect(record);
    flushNeverThrowing();
    return (r.copy ?? record) as T;
  }

  function hashAll<T>(records: readonly T[]): T[] {
    const roots: (Ref | undefined)[] = new Array(records.length);
    for (let r = 0; r < records.length; r++) {
      const record = records[r];
      stats.records++;
      if (isObject(record)) roots[r] = collect(record);
    }
    flushNeverThrowing();
    const out = new Array<T>(records.length);
    for (let r = 0; r < records.length; r++) out[r] = (roots[r]?.copy ?? records[r]) as T;
    return out;
  }

  function fieldFor(field: string): CompiledField {
    const f = typeof field === 'string' ? byName.get(field) : undefined;
    if (!f) throw new RangeError(`unknown field '${String(field)}': give one of the selectors or domains of this hasher`);
    return f;
  }

  function entryFor(keyId: string | undefined): KeyEntry {
    if (keyId === undefined) return current;
    const e = byKeyId.get(keyId);
    if (!e) throw new RangeError(`unknown key ID '${keyId}'`);
    return e;
  }

  function pseudonymUnder(e: KeyEntry, f: CompiledField, text: string): string {
    const d = e.engine.hashOne(e.engine.domain(f.domain), text);
    return tagOf(e.keyId) + Buffer.from(d.buffer, d.byteOffset, digestLength).toString(encoding);
  }

  const hasher = (<T>(record: T): T => hashOne(record)) as FieldHasher;
  return Object.defineProperties(hasher, {
    hashRecords: { value: <T>(records: readonly T[]): T[] => hashAll(records) },
    hashValue: {
      value: (field: string, value: unknown, keyId?: string): string => {
        const f = fieldFor(field);
        if (value === undefined || value === null) throw new TypeError(`cannot hash ${String(value)}`);
        return pseudonymUnder(entryFor(keyId), f, messageOf(value, f.normalize));
      },
    },
    pseudonyms: {
      value: (field: string, value: unknown): string[] => {
        const f = fieldFor(field);
        if (value === undefined || value === null) throw new TypeError(`cannot hash ${String(value)}`);
        const text = messageOf(value, f.normalize);
        return entries.map((e) => pseudonymUnder(e, f, text));
      },
    },
    matches: {
      value: (field: string, value: unknown, pseudonym: string): boolean => {
        const f = fieldFor(field);
        if (typeof pseudonym !== 'string' || value === undefined || value === null) return false;
        let text: string;
        try {
          text = messageOf(value, f.normalize);
        } catch {
          return false;
        }
        let candidates = entries;
        if (prefix !== false) {
          const parts = pseudonym.split(':');
          if (parts.length !== 3 || parts[0] !== prefix) return false;
          const e = byKeyId.get(parts[1]!);
          if (!e) return false;
          candidates = [e];
        }
        const want = Buffer.from(pseudonym);
        return candidates.some((e) => equalBytes(Buffer.from(pseudonymUnder(e, f, text)), want));
      },
    },
    keyId: { value: current.keyId, enumerable: true },
    keyIds: { value: Object.freeze(entries.map((e) => e.keyId)), enumerable: true },
    stats: { value: stats, enumerable: true },
    resetStats: {
      value: () => {
        stats.records = stats.hashed = stats.failed = stats.cacheHits = 0;
      },
    },
    destroy: {
      value: () => {
        for (const e of entries) e.engine.destroy();
        young.length = old.length = 0;
      },
    },
  });
}
