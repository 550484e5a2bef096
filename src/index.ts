/**
 * guomi: SM2, SM3 and SM4 (国密) for Node.js.
 *
 * The submodules (`guomi/sm3`, `guomi/sm4`, `guomi/sm2`, …) can be imported on their own; this
 * entry re-exports them together with backendInfo(), selfTest() and complianceReport().
 * @module
 */
export * from './sm2.js';
export * from './sm3.js';
export * from './sm4.js';
export * from './x509/index.js';
export * from './log/index.js';
export * from './tls/index.js';
export { GuomiError, type GuomiErrorCode } from './errors.js';
export { backendInfo, type BackendInfo, type BackendRequest } from './backend/select.js';
export type { BackendName, ImplementationInfo } from './backend/types.js';
export type { BytesLike } from './utils.js';
export { selfTest, type SelfTestReport, type SelfTestResult } from './selftest.js';
export {
  complianceReport,
  formatComplianceReport,
  type ComplianceAlgorithm,
  type ComplianceReport,
  type ComplianceReportFormat,
} from './compliance.js';
