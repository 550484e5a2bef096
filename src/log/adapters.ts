/**
 * Logger adapters: pino and winston. Neither library is imported here: the pino adapter returns
 * plain pino options, and the winston adapter returns an object with the one method a winston
 * (logform) format needs, `transform(info)`, which `winston.format.combine()` and the `format`
 * option of loggers and transports accept as is. So guomi has no runtime dependency on either.
 * @module
 */
import { createFieldHasher, type FieldHasher, type FieldHasherOptions } from './hasher.js';

function toHasher(input: FieldHasher | FieldHasherOptions): FieldHasher {
  return typeof input === 'function' ? input : createFieldHasher(input);
}

/** What {@link pinoFieldHasher} returns: pino options to spread into yours. */
export interface PinoFieldHasherOptions {
  formatters: {
    /** Hashes the fields of the object logged with each call. */
    log: (object: Record<string, unknown>) => Record<string, unknown>;
    /** Hashes the fields of the root logger's bindings (`base`). */
    bindings: (bindings: Record<string, unknown>) => Record<string, unknown>;
  };
  /**
   * Hashes the fields of child-logger bindings (`logger.child({ user })`). pino applies
   * `formatters.bindings` to the root logger only and serialises a child's bindings once, when
   * the child is made; this hook rewrites that serialised text with the fields hashed.
   */
  onChild: (child: object) => void;
}

let warned = false;

/**
 * Rewrites the bindings a pino child logger added, with its fields hashed. pino keeps a logger's
 * bindings as a JSON fragment (`,"k":v,…`) under its `pino.chindings` symbol (exported by pino as
 * `pino.symbols.chindingsSym`); a child's fragment is its parent's followed by its own.
 */
function hashChildBindings(h: FieldHasher, child: object): void {
  const sym = Object.getOwnPropertySymbols(child).find((s) => s.description === 'pino.chindings');
  const holder = child as Record<symbol, unknown>;
  const all = sym && holder[sym];
  if (!sym || typeof all !== 'string') {
    if (!warned) {
      warned = true;
      process.emitWarning('guomi/log: cannot find the bindings of a pino child logger; its bindings are not hashed', 'GuomiWarning');
    }
    return;
  }
  const parent = (Object.getPrototypeOf(child) as Record<symbol, unknown> | null)?.[sym];
  const prefix = typeof parent === 'string' && all.startsWith(parent) ? parent : '';
  const added = all.slice(prefix.length);
  if (!added.startsWith(',')) return;
  let bindings: Record<string, unknown>;
  try {
    bindings = JSON.parse(`{${added.slice(1)}}`) as Record<string, unknown>;
  } catch {
    return;
  }
  const hashed = h(bindings);
  if (hashed === bindings) return;
  const text = JSON.stringify(hashed);
  holder[sym] = prefix + (text.length > 2 ? `,${text.slice(1, -1)}` : '');
}

/**
 * pino options that hash fields in the logging thread: `pino({ ...pinoFieldHasher(opts), level })`.
 * The logged object (`formatters.log`), the root bindings (`formatters.bindings`) and the
 * bindings of child loggers (`onChild`) are hashed. The message string itself is not: keep
 * personal data in fields. To hash in pino's worker thread instead, use the transport
 * ({@link pinoTransport}), which sees the whole output line.
 *
 * If you have formatters or an onChild hook of your own, call the hasher inside them:
 * `formatters: { log: (o) => myLog(hasher(o)) }`.
 * @param hasher a {@link FieldHasher} or the options to make one
 * @example const logger = pino({ ...pinoFieldHasher({ key, fields: [{ path: 'user.phone', normalize: 'phone' }] }) });
 */
export function pinoFieldHasher(hasher: FieldHasher | FieldHasherOptions): PinoFieldHasherOptions {
  const h = toHasher(hasher);
  return {
    formatters: {
      log: (object) => h(object),
      bindings: (bindings) => h(bindings),
    },
    onChild: (child) => hashChildBindings(h, child),
  };
}

/** A winston/logform format instance (what `winston.format(fn)()` returns). */
export interface WinstonFormat {
  transform: <T extends object>(info: T, options?: unknown) => T;
  options: Record<string, unknown>;
}

/**
 * A winston format that hashes fields of each log entry (`info`), including metadata merged from
 * `defaultMeta` and child loggers. Put it before the formats that serialise:
 * `format: winston.format.combine(winstonFieldHasher(opts), winston.format.json())`.
 * The entry's symbol-keyed properties (level, message, splat) are kept.
 * @param hasher a {@link FieldHasher} or the options to make one
 * @example winston.createLogger({ format: winston.format.combine(winstonFieldHasher({ key, fields: ['user.phone'] }), winston.format.json()) })
 */
export function winstonFieldHasher(hasher: FieldHasher | FieldHasherOptions): WinstonFormat {
  const h = toHasher(hasher);
  return { transform: (info) => h(info), options: {} };
}
