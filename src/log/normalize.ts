/**
 * Normalisers: they map the different ways one value is written to one string before hashing,
 * so that one person always gets one pseudonym ("+86 138 0013 8000" and "13800138000" are the
 * same phone; "11010519491231002x" and "…002X" the same resident ID card).
 *
 * Each takes a string and returns a string. Numbers, booleans and BigInts are turned into
 * strings (`String(value)`) before the normaliser sees them, so a phone number logged as a
 * number normalises like the same number logged as text.
 * @module
 */

/** The names of the built-in normalisers. */
export type NormalizerName = 'none' | 'trim' | 'lower' | 'phone' | 'idCard' | 'email';

/** A built-in normaliser's name, or a function of your own (it must return a string). */
export type Normalizer = NormalizerName | ((value: string) => string);

// NFKC folds full-width forms, which Chinese input methods produce easily, to ASCII:
// "１３８" → "138", "＋８６" → "+86", "ｘ" → "x", "＠" → "@".
// ASCII is left alone by NFKC; checking for it is much cheaper than normalising.
const nfkc = (s: string): string => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return s.normalize('NFKC');
  return s;
};

/** Separators people put inside phone numbers: whitespace, hyphens, dots, parentheses. */
const PHONE_SEPARATORS = /[\s\-.()]/g;
/** A mainland mobile number: 11 digits from 1. */
const CN_MOBILE = /^1\d{10}$/;
/** The mainland country code in international form: +86 or 0086, then digits. */
const CN_INTERNATIONAL = /^(?:\+|00)86(\d+)$/;

/**
 * Phone numbers: NFKC, separators removed (whitespace, `-`, `.`, parentheses), and the mainland
 * country code taken off so that the international and the domestic form agree: `+86` / `0086`
 * in front of a mobile number (11 digits from 1) is removed, in front of a landline it becomes
 * the domestic trunk prefix 0 (`+86 10 1234 5678` → `01012345678`, as dialled at home); a bare
 * `86` is removed only in front of a mobile number (`8613800138000`, e.g. logged as a number).
 * Other numbers keep their `+` and country code.
 * @example normalizePhone('+86 138-0013-8000') // '13800138000'
 */
export function normalizePhone(value: string): string {
  const s = nfkc(value).replace(PHONE_SEPARATORS, '');
  const intl = CN_INTERNATIONAL.exec(s);
  if (intl) {
    const rest = intl[1]!;
    return CN_MOBILE.test(rest) || rest.startsWith('0') ? rest : '0' + rest;
  }
  if (s.length === 13 && s.startsWith('86') && CN_MOBILE.test(s.slice(2))) return s.slice(2);
  return s;
}

/**
 * Resident identity card numbers (GB 11643): NFKC, whitespace removed, upper case (the check
 * character is written X, often typed x).
 * @example normalizeIdCard(' 11010519491231002x ') // '11010519491231002X'
 */
export function normalizeIdCard(value: string): string {
  return nfkc(value).replace(/\s/g, '').toUpperCase();
}

/**
 * E-mail addresses: NFKC, surrounding whitespace removed, lower case. (The local part is case
 * sensitive in theory, never in practice; one mailbox must give one pseudonym.)
 * @example normalizeEmail(' Zhang.San@Example.COM') // 'zhang.san@example.com'
 */
export function normalizeEmail(value: string): string {
  return nfkc(value).trim().toLowerCase();
}

const BUILTIN: Record<NormalizerName, ((s: string) => string) | undefined> = {
  none: undefined,
  trim: (s) => s.trim(),
  lower: (s) => s.toLowerCase(),
  phone: normalizePhone,
  idCard: normalizeIdCard,
  email: normalizeEmail,
};

/** The names accepted for `normalize`. */
export const NORMALIZER_NAMES = Object.keys(BUILTIN) as NormalizerName[];

/**
 * Resolves a normaliser option to a function (undefined for 'none').
 * @throws RangeError for an unknown name; TypeError for anything but a name or a function
 */
export function resolveNormalizer(value: unknown, name: string): ((s: string) => string) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as (s: string) => string;
  if (typeof value !== 'string') {
    throw new TypeError(`"${name}" must be a normaliser name or a function, got type ${typeof value}`);
  }
  if (!Object.prototype.hasOwnProperty.call(BUILTIN, value)) {
    throw new RangeError(`"${name}" must be one of ${NORMALIZER_NAMES.map((n) => `'${n}'`).join(', ')} or a function, got '${value}'`);
  }
  return BUILTIN[value as NormalizerName];
}
