/**
 * guomi/log: SM3-based protection for structured logs.
 *
 * - Pseudonymisation: {@link createFieldHasher} replaces personal data (phone numbers, ID card
 *   numbers, e-mail addresses …) in selected fields by keyed HMAC-SM3 pseudonyms
 *   `sm3:<keyId>:<digest>`, the same for the same person, useless without the key; adapters for
 *   pino ({@link pinoFieldHasher}, {@link pinoTransport}), winston ({@link winstonFieldHasher})
 *   and NDJSON streams ({@link createNdjsonHasher}).
 * - Tamper evidence: {@link createAuditChain} chains records with HMAC-SM3 (and SM2-signed
 *   checkpoints); {@link verifyAuditChain} finds the first altered, missing, inserted or
 *   reordered record.
 *
 * ```ts
 * import { createFieldHasher, pinoFieldHasher, createAuditChain, verifyAuditChain } from 'guomi/log';
 * const hash = createFieldHasher({ key, keyId: '2025q1', fields: [{ path: 'user.phone', normalize: 'phone' }] });
 * const logger = pino({ ...pinoFieldHasher(hash) });
 * ```
 *
 * The default export is the pino transport, so that `pino.transport({ target: 'guomi/log',
 * options })` finds it.
 * @module
 */
export { canonicalJson } from './canonical.js';
export {
  NORMALIZER_NAMES,
  normalizeEmail,
  normalizeIdCard,
  normalizePhone,
  type Normalizer,
  type NormalizerName,
} from './normalize.js';
export {
  createFieldHasher,
  type FieldHasher,
  type FieldHasherOptions,
  type FieldHasherStats,
  type FieldSpec,
  type LogKey,
} from './hasher.js';
export type { LogHashAlgorithm } from './hash-engine.js';
export {
  pinoFieldHasher,
  winstonFieldHasher,
  type PinoFieldHasherOptions,
  type WinstonFormat,
} from './adapters.js';
export {
  createNdjsonHasher,
  type MalformedLine,
  type NdjsonHasherOptions,
  type NdjsonHasherStream,
} from './ndjson.js';
export { pinoTransport, pinoTransportTarget, type PinoTransportOptions } from './pino-transport.js';
export {
  AUDIT_FIELD,
  AUDIT_GENESIS,
  CHECKPOINT_FIELD,
  createAuditChain,
  verifyAuditChain,
  type AuditChain,
  type AuditChainHead,
  type AuditChainOptions,
  type AuditCheckpointOptions,
  type AuditFailureReason,
  type AuditSource,
  type AuditVerifyOptions,
  type AuditVerifyResult,
} from './audit.js';
export { readKeyFile } from './keyfile.js';

import { pinoTransport } from './pino-transport.js';
export default pinoTransport;
