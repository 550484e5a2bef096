/**
 * Object identifiers used by the X.509 module, with the short names OpenSSL prints for them.
 *
 * Values are transcribed from RFC 5280 (§4.1.2.4 attribute types, §4.2 extensions, §4.2.1.12
 * key purposes), RFC 4519 / RFC 4524 (attribute types), RFC 8017 and RFC 4055 (RSA), RFC 5758
 * (ECDSA), RFC 8410 (EdDSA), GM/T 0006-2012 / GB/T 33560-2017 (SM2, SM3, SM2-with-SM3) and
 * PKCS #9 (emailAddress, extensionRequest).
 * @module
 */

/** Algorithm identifiers. */
export const ALG = {
  /** SM2-with-SM3 signature, GM/T 0006-2012 (parameters absent or NULL). */
  SM2_WITH_SM3: '1.2.156.10197.1.501',
  /** The SM2 curve, also seen as an SPKI algorithm (GM/T 0015-2023; some OpenSSL 3.x). */
  SM2: '1.2.156.10197.1.301',
  /** SM3, GM/T 0006-2012. */
  SM3: '1.2.156.10197.1.401',
  /** id-ecPublicKey, RFC 5480 §2.1.1. */
  EC_PUBLIC_KEY: '1.2.840.10045.2.1',
  /** rsaEncryption, RFC 8017 Appendix C. */
  RSA: '1.2.840.113549.1.1.1',
  /** id-RSASSA-PSS, RFC 4055 §3.1. */
  RSA_PSS: '1.2.840.113549.1.1.10',
  /** id-mgf1, RFC 4055 §2.2. */
  MGF1: '1.2.840.113549.1.1.8',
  ED25519: '1.3.101.112',
  ED448: '1.3.101.113',
} as const;

/** Signature algorithms: OID → [display name, node:crypto digest name or null, kind]. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, readonly [string, string | null, 'sm2' | 'rsa' | 'rsa-pss' | 'ecdsa' | 'eddsa']>> = {
  '1.2.156.10197.1.501': ['SM2-with-SM3', 'sm3', 'sm2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5', 'rsa'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1', 'rsa'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224', 'rsa'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256', 'rsa'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384', 'rsa'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512', 'rsa'],
  '1.2.840.113549.1.1.10': ['rsassaPss', null, 'rsa-pss'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1', 'ecdsa'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224', 'ecdsa'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256', 'ecdsa'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384', 'ecdsa'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512', 'ecdsa'],
  '1.3.101.112': ['ED25519', null, 'eddsa'],
  '1.3.101.113': ['ED448', null, 'eddsa'],
};

/** Hash algorithms that may appear in RSASSA-PSS parameters (RFC 4055 §2.1, RFC 5754). */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.156.10197.1.401': 'sm3',
};

/** Public-key algorithms: OID → name. */
export const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.156.10197.1.301': 'sm2',
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
};

/** Named curves: OID → name. */
export const CURVES: Readonly<Record<string, string>> = {
  '1.2.156.10197.1.301': 'sm2',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
};

/**
 * Attribute types of distinguished names with OpenSSL's short names (RFC 5280 §4.1.2.4,
 * RFC 4519, RFC 4524, PKCS #9, CA/Browser Forum EV jurisdiction fields).
 */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.16': 'postalAddress',
  '2.5.4.17': 'postalCode',
  '2.5.4.18': 'postOfficeBox',
  '2.5.4.20': 'telephoneNumber',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.45': 'x500UniqueIdentifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.2.840.113549.1.9.2': 'unstructuredName',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** Reverse of {@link ATTRIBUTE_NAMES}, case-insensitive keys, with common long-form aliases. */
export const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = /* @__PURE__ */ (() => {
  const out: Record<string, string> = {};
  for (const [oid, name] of Object.entries(ATTRIBUTE_NAMES)) out[name.toLowerCase()] = oid;
  Object.assign(out, {
    commonname: '2.5.4.3',
    surname: '2.5.4.4',
    countryname: '2.5.4.6',
    localityname: '2.5.4.7',
    stateorprovincename: '2.5.4.8',
    streetaddress: '2.5.4.9',
    organizationname: '2.5.4.10',
    organizationalunitname: '2.5.4.11',
    givenname: '2.5.4.42',
    email: '1.2.840.113549.1.9.1',
    e: '1.2.840.113549.1.9.1',
    domaincomponent: '0.9.2342.19200300.100.1.25',
    userid: '0.9.2342.19200300.100.1.1',
  });
  return out;
})();

/** Certificate extensions (RFC 5280 §4.2). */
export const EXT = {
  SUBJECT_DIRECTORY_ATTRIBUTES: '2.5.29.9',
  SUBJECT_KEY_IDENTIFIER: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALT_NAME: '2.5.29.17',
  ISSUER_ALT_NAME: '2.5.29.18',
  BASIC_CONSTRAINTS: '2.5.29.19',
  NAME_CONSTRAINTS: '2.5.29.30',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  CERTIFICATE_POLICIES: '2.5.29.32',
  POLICY_MAPPINGS: '2.5.29.33',
  AUTHORITY_KEY_IDENTIFIER: '2.5.29.35',
  POLICY_CONSTRAINTS: '2.5.29.36',
  EXT_KEY_USAGE: '2.5.29.37',
  FRESHEST_CRL: '2.5.29.46',
  INHIBIT_ANY_POLICY: '2.5.29.54',
  AUTHORITY_INFO_ACCESS: '1.3.6.1.5.5.7.1.1',
  SUBJECT_INFO_ACCESS: '1.3.6.1.5.5.7.1.11',
} as const;

/** Extension names for display. */
export const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.9': 'subjectDirectoryAttributes',
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.33': 'policyMappings',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.36': 'policyConstraints',
  '2.5.29.37': 'extKeyUsage',
  '2.5.29.46': 'freshestCRL',
  '2.5.29.54': 'inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.11': 'subjectInfoAccess',
  '1.3.6.1.4.1.11129.2.4.2': 'ctPrecertificateScts',
};

/** Extended key purposes (RFC 5280 §4.2.1.12): name → OID. */
export const KEY_PURPOSES = {
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** A key purpose name of {@link KEY_PURPOSES}. */
export type KeyPurposeName = keyof typeof KEY_PURPOSES;

/** OID → key purpose name. */
export const KEY_PURPOSE_NAMES: Readonly<Record<string, KeyPurposeName>> = /* @__PURE__ */ (() => {
  const out: Record<string, KeyPurposeName> = {};
  for (const [name, oid] of Object.entries(KEY_PURPOSES)) out[oid] = name as KeyPurposeName;
  return out;
})();

/** Access methods (RFC 5280 §4.2.2.1). */
export const ACCESS_METHODS: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.48.1': 'ocsp',
  '1.3.6.1.5.5.7.48.2': 'caIssuers',
  '1.3.6.1.5.5.7.48.3': 'timeStamping',
  '1.3.6.1.5.5.7.48.5': 'caRepository',
};

/** Policy qualifier ids (RFC 5280 §4.2.1.4). */
export const QUALIFIER = {
  CPS: '1.3.6.1.5.5.7.2.1',
  USER_NOTICE: '1.3.6.1.5.5.7.2.2',
} as const;

/** PKCS #9 extensionRequest attribute (RFC 2985 §5.4.2), carried in CSRs. */
export const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
