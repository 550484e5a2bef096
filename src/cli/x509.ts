/**
 * `guomi x509 show | verify | req | sign`: SM2 certificates and requests from the command line,
 * on guomi/x509 (signatures with SM2-with-SM3 and the ID 1234567812345678).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Sm2PrivateKey, Sm2PublicKey } from '../sm2.js';
import {
  Certificate,
  createCertificate,
  createCsr,
  parseCertificates,
  parseCsr,
  verifyChain,
  type AltNameInput,
  type GeneralName,
  type KeyUsageFlag,
  type VerifyPurpose,
} from '../x509/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, subcommand, type Command, type ParsedArgs } from './common.js';

const OPTIONS = {
  json: { type: 'boolean' },
  roots: { type: 'string', multiple: true },
  intermediates: { type: 'string', multiple: true },
  untrusted: { type: 'string', multiple: true },
  time: { type: 'string' },
  purpose: { type: 'string' },
  hostname: { type: 'string' },
  'cn-fallback': { type: 'boolean' },
  'allow-empty-id': { type: 'boolean' },
  'sm2-id': { type: 'string' },
  key: { type: 'string' },
  'new-key': { type: 'string' },
  pub: { type: 'string' },
  subject: { type: 'string' },
  dns: { type: 'string', multiple: true },
  ip: { type: 'string', multiple: true },
  email: { type: 'string', multiple: true },
  uri: { type: 'string', multiple: true },
  'key-usage': { type: 'string' },
  eku: { type: 'string' },
  out: { type: 'string' },
  csr: { type: 'string' },
  ca: { type: 'string' },
  'ca-key': { type: 'string' },
  'self-sign': { type: 'boolean' },
  profile: { type: 'string' },
  pathlen: { type: 'string' },
  days: { type: 'string' },
  'not-before': { type: 'string' },
  'not-after': { type: 'string' },
  serial: { type: 'string' },
  'basic-constraints': { type: 'boolean' },
  crl: { type: 'string', multiple: true },
  ocsp: { type: 'string', multiple: true },
} as const;

/** The values of a `multiple` option (util.parseArgs gives an array). */
function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name] as unknown;
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as string[]) : [String(v)];
}

async function readText(file: string, what: string): Promise<string | Uint8Array> {
  let raw: Buffer;
  try {
    // '-' is standard input (a certificate piped from another command).
    raw = file === '-' ? Buffer.from(await new Response(process.stdin as never).arrayBuffer()) : await readFile(file);
  } catch (err) {
    throw new CliError(`cannot read ${what} '${file}': ${(err as Error).message}`);
  }
  return raw.includes('-----BEGIN') ? raw.toString('utf8') : new Uint8Array(raw);
}

async function readCertificates(file: string, what: string): Promise<Certificate[]> {
  const certs = parseCertificates(await readText(file, what));
  if (certs.length === 0) throw new CliError(`${what} '${file}' holds no certificate`);
  return certs;
}

function date(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (!Number.isFinite(d.getTime())) throw new CliError(`${name} must be a date such as 2030-01-01T00:00:00Z`);
  return d;
}

function altNames(args: ParsedArgs): AltNameInput | undefined {
  const names: AltNameInput = { dns: list(args, 'dns'), ip: list(args, 'ip'), email: list(args, 'email'), uri: list(args, 'uri') };
  return names.dns!.length + names.ip!.length + names.email!.length + names.uri!.length ? names : undefined;
}

function csv(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);
}

function writeOut(args: ParsedArgs, text: string): void {
  const file = str(args, 'out');
  if (file === undefined || file === '-') process.stdout.write(text);
  else writeFileSync(file, text);
}

async function privateKeyFrom(file: string, what: string): Promise<Sm2PrivateKey> {
  return Sm2PrivateKey.from((await readText(file, what)) as string);
}

/** --key KEY (existing) or --new-key KEY (generated and written with mode 0600). */
async function requesterKey(args: ParsedArgs): Promise<Sm2PrivateKey> {
  const key = str(args, 'key');
  const fresh = str(args, 'new-key');
  if ((key === undefined) === (fresh === undefined)) throw new CliError('give --key KEY or --new-key KEY');
  if (key !== undefined) return privateKeyFrom(key, '--key');
  if (existsSync(fresh!)) throw new CliError(`--new-key: '${fresh}' exists; use --key to reuse it`);
  const k = Sm2PrivateKey.generate();
  writeFileSync(fresh!, k.export({ format: 'pem' }), { mode: 0o600 });
  return k;
}

function describeName(n: GeneralName): string {
  switch (n.type) {
    case 'dns':
      return `DNS:${n.value}`;
    case 'ip':
      return `IP:${n.value}`;
    case 'email':
      return `email:${n.value}`;
    case 'uri':
      return `URI:${n.value}`;
    case 'dirName':
      return `DirName:${n.value.toString()}`;
    case 'registeredId':
      return `RID:${n.value}`;
    case 'otherName':
      return `othername:${n.oid}`;
    default:
      return n.type;
  }
}

function extensionText(c: Certificate): string[] {
  return c.extensions.map((e) => {
    const head = `  ${e.name}${e.critical ? ' (critical)' : ''}: `;
    switch (e.name) {
      case 'basicConstraints':
        return head + (c.basicConstraints
          ? `CA:${c.basicConstraints.ca ? 'TRUE' : 'FALSE'}${c.basicConstraints.pathLength !== undefined ? `, pathlen:${c.basicConstraints.pathLength}` : ''}`
          : '?');
      case 'keyUsage':
        return head + (c.keyUsage ?? []).join(', ');
      case 'extKeyUsage':
        return head + (c.extKeyUsage ?? []).join(', ');
      case 'subjectAltName':
        return head + (c.subjectAltName ?? []).map(describeName).join(', ');
      case 'subjectKeyIdentifier':
        return head + (c.subjectKeyIdentifier ?? '');
      case 'authorityKeyIdentifier':
        return head + (c.authorityKeyIdentifier?.keyIdentifier ? `keyid:${c.authorityKeyIdentifier.keyIdentifier}` : '(no key identifier)');
      case 'certificatePolicies':
        return head + (c.certificatePolicies ?? []).map((p) => p.oid + p.qualifiers.map((q) => (q.cps ? ` (CPS: ${q.cps})` : '')).join('')).join(', ');
      case 'cRLDistributionPoints':
        return head + (c.crlDistributionPoints ?? []).flatMap((d) => (d.fullName ?? []).map(describeName)).join(', ');
      case 'authorityInfoAccess':
        return head + (c.authorityInfoAccess ?? []).map((a) => `${a.methodName} ${describeName(a.location)}`).join(', ');
      default:
        return head + `${e.value.length} bytes`;
    }
  });
}

function keyText(c: Certificate): string {
  const a = c.publicKeyAlgorithm;
  const alg = `${a.name}${a.curveName ? `, ${a.curveName}` : ''}`;
  if (c.publicKey instanceof Sm2PublicKey) return `SM2 (${alg}) ${Buffer.from(c.publicKey.toBytes()).toString('hex')}`;
  if (c.publicKey) return `${c.publicKey.asymmetricKeyType ?? 'unknown'} (${alg})`;
  return `unsupported (${alg})`;
}

function showText(c: Certificate): string {
  const sig = c.signatureAlgorithm;
  const lines = [
    `Subject:             ${c.subject.toString()}`,
    `Issuer:              ${c.issuer.toString()}`,
    `Serial:              ${c.serialNumber}`,
    `Version:             ${c.version}`,
    `Not Before:          ${c.notBefore.toISOString()}`,
    `Not After:           ${c.notAfter.toISOString()}`,
    `Public Key:          ${keyText(c)}`,
    `Signature Algorithm: ${sig.name} (${sig.oid}${sig.parameters ? (sig.parameters.length === 2 && sig.parameters[0] === 5 ? ', NULL parameters' : ', with parameters') : ''})`,
  ];
  if (c.isSelfIssued) {
    const valid = c.verifySignature(c);
    const empty = !valid && c.verifySignature(c, { allowEmptyId: true });
    lines.push(`Self-signature:      ${valid ? 'valid' : empty ? 'valid only with an empty SM2 ID (legacy OpenSSL)' : 'not valid (self-issued, not self-signed)'}`);
  }
  if (c.extensions.length) lines.push('Extensions:', ...extensionText(c));
  lines.push(`SM3 Fingerprint:     ${c.fingerprints.sm3}`, `SHA-256 Fingerprint: ${c.fingerprints.sha256}`);
  return lines.join('\n') + '\n';
}

function showJson(c: Certificate): unknown {
  return {
    subject: c.subject.toString(),
    issuer: c.issuer.toString(),
    serialNumber: c.serialNumber,
    version: c.version,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    signatureAlgorithm: { oid: c.signatureAlgorithm.oid, name: c.signatureAlgorithm.name, nullParameters: c.signatureAlgorithm.parameters !== undefined },
    publicKeyAlgorithm: c.publicKeyAlgorithm,
    publicKey: c.publicKey instanceof Sm2PublicKey ? Buffer.from(c.publicKey.toBytes()).toString('hex') : null,
    basicConstraints: c.basicConstraints,
    keyUsage: c.keyUsage,
    extKeyUsage: c.extKeyUsage,
    subjectAltName: c.subjectAltName?.map(describeName),
    subjectKeyIdentifier: c.subjectKeyIdentifier,
    authorityKeyIdentifier: c.authorityKeyIdentifier?.keyIdentifier,
    extensions: c.extensions.map((e) => ({ oid: e.oid, name: e.name, critical: e.critical })),
    fingerprints: c.fingerprints,
  };
}

function profile(args: ParsedArgs): { ca: boolean; extKeyUsage?: string[] } {
  const p = str(args, 'profile') ?? 'leaf';
  switch (p) {
    case 'ca':
      return { ca: true };
    case 'server':
      return { ca: false, extKeyUsage: ['serverAuth'] };
    case 'client':
      return { ca: false, extKeyUsage: ['clientAuth'] };
    case 'both':
      return { ca: false, extKeyUsage: ['serverAuth', 'clientAuth'] };
    case 'leaf':
      return { ca: false };
    default:
      throw new CliError('--profile must be ca, server, client, both or leaf');
  }
}

function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new CliError(`${name} must be a non-negative integer`);
  return Number(text);
}

const ACTIONS: Record<string, (args: ParsedArgs) => Promise<number>> = {
  async show(args) {
    const files = args.positionals.slice(1);
    if (files.length === 0) throw new CliError('give one or more certificate files');
    const out: unknown[] = [];
    let text = '';
    for (const file of files) {
      const certs = await readCertificates(file, 'certificate file');
      certs.forEach((c, i) => {
        if (args.values['json'] === true) out.push({ file, index: i, ...(showJson(c) as object) });
        else text += `${files.length > 1 || certs.length > 1 ? `== ${file}${certs.length > 1 ? ` [${i}]` : ''}\n` : ''}${showText(c)}`;
      });
    }
    writeOut(args, args.values['json'] === true ? JSON.stringify(out.length === 1 ? out[0] : out, null, 2) + '\n' : text);
    return EXIT_OK;
  },

  async verify(args) {
    const [file, ...more] = args.positionals.slice(1);
    if (!file) throw new CliError('give the certificate (or chain) file to verify');
    if (more.length) throw new CliError(`unexpected argument '${more[0]}' (use --intermediates FILE)`);
    const rootFiles = list(args, 'roots');
    if (rootFiles.length === 0) throw new CliError('--roots FILE is required (PEM bundle of trust anchors)');
    const roots = (await Promise.all(rootFiles.map((f) => readCertificates(f, '--roots')))).flat();
    // The leaf file may be a chain: the leaf first, then intermediates (as TLS servers send it).
    const [leaf, ...chain] = await readCertificates(file, 'certificate file');
    const intermediates = [...chain];
    for (const f of [...list(args, 'intermediates'), ...list(args, 'untrusted')]) intermediates.push(...(await readCertificates(f, '--intermediates')));
    const time = date(str(args, 'time'), '--time');
    const result = verifyChain(leaf!, {
      roots,
      intermediates,
      ...(time ? { time } : {}),
      ...(str(args, 'purpose') !== undefined ? { purpose: str(args, 'purpose') as VerifyPurpose } : {}),
      ...(str(args, 'hostname') !== undefined ? { hostname: str(args, 'hostname')! } : {}),
      cnFallback: args.values['cn-fallback'] === true,
      allowEmptyId: args.values['allow-empty-id'] === true,
      ...(str(args, 'sm2-id') !== undefined ? { sm2Id: str(args, 'sm2-id')! } : {}),
    });
    if (args.values['json'] === true) {
      console.log(JSON.stringify(result.ok
        ? { ok: true, path: result.path.map((c) => c.subject.toString()) }
        : { ok: false, code: result.code, reason: result.reason, index: result.index, path: result.path.map((c) => c.subject.toString()) }));
    } else if (result.ok) {
      console.log(`${file}: OK`);
      result.path.forEach((c, i) => console.log(`  ${i}: ${c.subject.toString()}`));
    } else {
      console.log(`${file}: FAIL ${result.code} at certificate ${result.index}: ${result.reason}`);
    }
    return result.ok ? EXIT_OK : EXIT_FAILED;
  },

  async req(args) {
    const subject = str(args, 'subject');
    if (subject === undefined) throw new CliError('--subject is required, e.g. "CN=www.example.cn,O=Example,C=CN"');
    const key = await requesterKey(args);
    const keyUsage = csv(str(args, 'key-usage')) as KeyUsageFlag[] | undefined;
    const eku = csv(str(args, 'eku'));
    const san = altNames(args);
    const csr = createCsr({
      subject,
      privateKey: key,
      ...(san ? { subjectAltName: san } : {}),
      ...(keyUsage ? { keyUsage } : {}),
      ...(eku ? { extKeyUsage: eku } : {}),
      ...(str(args, 'sm2-id') !== undefined ? { sm2Id: str(args, 'sm2-id')! } : {}),
    });
    key.destroy();
    writeOut(args, csr.toPem());
    return EXIT_OK;
  },

  async sign(args) {
    const csrFile = str(args, 'csr');
    const csr = csrFile === undefined ? undefined : parseCsr(await readText(csrFile, '--csr'));
    if (csr && !csr.verifySignature({ allowEmptyId: args.values['allow-empty-id'] === true })) {
      throw new CliError(`the signature of '${csrFile}' does not verify (SM2 ID 1234567812345678${args.values['allow-empty-id'] === true ? ' or empty' : ''})`, EXIT_FAILED);
    }
    const selfSign = args.values['self-sign'] === true;
    const caFile = str(args, 'ca');
    if (selfSign === (caFile !== undefined)) throw new CliError('give --self-sign --key KEY, or --ca CA.pem --ca-key CA.key');
    let signingKey: Sm2PrivateKey;
    let issuer: Certificate | undefined;
    let publicKey: Sm2PublicKey | undefined;
    if (selfSign) {
      const keyFile = str(args, 'key');
      if (keyFile === undefined) throw new CliError('--self-sign needs --key KEY');
      signingKey = await privateKeyFrom(keyFile, '--key');
    } else {
      const caKey = str(args, 'ca-key');
      if (caKey === undefined) throw new CliError('--ca needs --ca-key CA.key');
      issuer = (await readCertificates(caFile!, '--ca'))[0];
      signingKey = await privateKeyFrom(caKey, '--ca-key');
      if (!csr) {
        const pub = str(args, 'pub');
        const key = str(args, 'key');
        if (pub !== undefined) publicKey = Sm2PublicKey.from((await readText(pub, '--pub')) as string);
        else if (key !== undefined) publicKey = (await privateKeyFrom(key, '--key')).publicKey;
        else throw new CliError('give --csr REQ, or --subject with --pub PUB or --key KEY');
      }
    }
    const subject = str(args, 'subject');
    if (!csr && subject === undefined) throw new CliError('--subject is required without --csr');
    const { ca, extKeyUsage } = profile(args);
    const keyUsage = csv(str(args, 'key-usage')) as KeyUsageFlag[] | undefined;
    const eku = csv(str(args, 'eku')) ?? extKeyUsage;
    const san = altNames(args);
    const pathLength = integer(str(args, 'pathlen'), '--pathlen');
    const days = integer(str(args, 'days'), '--days');
    const notBefore = date(str(args, 'not-before'), '--not-before');
    const notAfter = date(str(args, 'not-after'), '--not-after');
    const cert = createCertificate({
      signingKey,
      ...(issuer ? { issuer } : {}),
      ...(subject !== undefined ? { subject } : {}),
      ...(publicKey ? { publicKey } : {}),
      ...(csr ? { csr } : {}),
      ca,
      ...(pathLength !== undefined ? { pathLength } : {}),
      ...(keyUsage ? { keyUsage } : {}),
      ...(eku ? { extKeyUsage: eku } : {}),
      ...(san ? { subjectAltName: san } : {}),
      ...(days !== undefined ? { days } : {}),
      ...(notBefore ? { notBefore } : {}),
      ...(notAfter ? { notAfter } : {}),
      ...(str(args, 'serial') !== undefined ? { serialNumber: str(args, 'serial')! } : {}),
      leafBasicConstraints: args.values['basic-constraints'] === true,
      crlDistributionPoints: list(args, 'crl'),
      ocsp: list(args, 'ocsp'),
      ...(str(args, 'sm2-id') !== undefined ? { sm2Id: str(args, 'sm2-id')! } : {}),
    });
    signingKey.destroy();
    writeOut(args, cert.toPem());
    return EXIT_OK;
  },
};

/** The `guomi x509` command. */
export const x509Command: Command = {
  name: 'x509',
  summary: 'SM2 certificates: show, verify chains, make requests, issue (show, verify, req, sign)',
  help: `Usage: guomi x509 show   CERT.pem... [--json] [--out F]        (CERT '-' = standard input)
       guomi x509 verify --roots ROOTS.pem [--intermediates F (or --untrusted F)]... CERT.pem
                         [--time 2030-01-01T00:00:00Z] [--purpose serverAuth|clientAuth|any|OID]
                         [--hostname NAME] [--cn-fallback] [--allow-empty-id] [--sm2-id ID] [--json]
       guomi x509 req    (--key KEY | --new-key KEY) --subject "CN=…,O=…,C=CN"
                         [--dns N]... [--ip A]... [--email E]... [--uri U]...
                         [--key-usage a,b] [--eku serverAuth,…] [--out REQ.pem]
       guomi x509 sign   (--ca CA.pem --ca-key CA.key | --self-sign --key KEY)
                         (--csr REQ.pem | --subject "CN=…" [--pub PUB | --key KEY])
                         [--profile ca|server|client|both|leaf] [--pathlen N] [--days N]
                         [--not-before DATE] [--not-after DATE] [--serial HEX]
                         [--dns N]... [--ip A]... [--email E]... [--uri U]...
                         [--key-usage a,b] [--eku a,b] [--basic-constraints]
                         [--crl URL]... [--ocsp URL]... [--out CERT.pem]

Certificates are signed and verified with SM2-with-SM3 and the ID 1234567812345678 (GM/T 0009,
GM/T 0015), over the original TBS bytes. 'verify' builds the path from CERT (a file may hold the
leaf followed by its intermediates) to one of --roots, checking signatures, validity (at --time,
default now), basicConstraints, pathLen, keyUsage, extKeyUsage (--purpose), name constraints and
--hostname; it prints OK and the path, or FAIL with a stable code (CERT_HAS_EXPIRED,
CERT_SIGNATURE_FAILURE, UNABLE_TO_GET_ISSUER_CERT_LOCALLY, …). --allow-empty-id also accepts
signatures made by OpenSSL 1.1.1–3.x without -sigopt distid (empty SM2 ID).
Names are RFC 4514 text, most specific first ("CN=a,O=b,C=CN"), or OpenSSL's "/C=CN/O=b/CN=a".
'sign' profiles: ca (CA:TRUE, keyCertSign+cRLSign), server/client/both (EKU), leaf; leaves get
keyUsage digitalSignature unless --key-usage says otherwise; SAN defaults to the CSR's.

Exit status: 0 on success, 1 if a chain or a CSR signature does not verify, 2 on bad usage or input.`,
  async run(argv) {
    const args = parse(argv, OPTIONS);
    const action = subcommand('x509', args.positionals[0], Object.keys(ACTIONS));
    const fn = ACTIONS[action]!;
    if (action !== 'show' && action !== 'verify' && args.positionals.length > 1) {
      throw new CliError(`unexpected argument '${args.positionals[1]}'`);
    }
    return fn(args);
  },
};
