#!/usr/bin/env node
// guomi/tls against Tongsuo and GmSSL 3.x, by hand (the peers are built outside the project;
// see docs/tls-interop.md). Usually started through scripts/interop-tls-peers.sh, which runs it
// in a private network namespace (GmSSL's tls13_server binds every interface).
//
//   node scripts/interop-tls-peers.mjs [--tongsuo BIN] [--gmssl BIN]... [--runs N] [--keep DIR]
//
// --tongsuo: Tongsuo's `tongsuo`/`openssl` program (8.4 or later); --gmssl: a GmSSL 3.x `gmssl`
// program (repeatable: 3.1.1 and 3.2.0 differ). Each peer uses certificates made by its own
// tools (toolchain.md C.2), guomi uses certificates made by guomi/x509, and each side trusts the
// other's root, so every handshake also checks each side's SM2 certificate validation.
// Prints one PASS/FAIL line per case and exits 1 if any case failed. Reads dist/ (npm run build).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { connect, createServer } = await import('../dist/tls/index.js');
const { kEngine } = await import('../dist/tls/socket.js');
const { Sm2PrivateKey } = await import('../dist/sm2.js');
const { createCertificate } = await import('../dist/x509/index.js');

// ---------------------------------------------------------------------------------------------
// Arguments

const argv = process.argv.slice(2);
let tongsuo;
const gmssls = [];
let runs = 1;
let keep;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--tongsuo') tongsuo = argv[++i];
  else if (a === '--gmssl') gmssls.push(argv[++i]);
  else if (a === '--runs') runs = Number(argv[++i]);
  else if (a === '--keep') keep = argv[++i];
  else {
    console.error(`usage: interop-tls-peers.mjs [--tongsuo BIN] [--gmssl BIN]... [--runs N] [--keep DIR]\nunknown argument ${a}`);
    process.exit(2);
  }
}
if (!tongsuo && gmssls.length === 0) {
  console.error('nothing to do: give --tongsuo and/or --gmssl');
  process.exit(2);
}

const dir = keep ?? mkdtempSync(join(tmpdir(), 'guomi-interop-'));
mkdirSync(dir, { recursive: true });
const file = (name, text) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

// ---------------------------------------------------------------------------------------------
// guomi credentials (guomi/x509): root → server (localhost, 127.0.0.1) and client leaves

function guomiPki() {
  const rootKey = Sm2PrivateKey.generate();
  const root = createCertificate({ signingKey: rootKey, subject: 'CN=guomi interop root,O=guomi,C=CN', ca: true, days: 2 });
  const leaf = (cn, eku, san) => {
    const key = Sm2PrivateKey.generate();
    const cert = createCertificate({
      signingKey: rootKey,
      issuer: root,
      subject: `CN=${cn},O=guomi,C=CN`,
      publicKey: key.publicKey,
      extKeyUsage: [eku],
      ...(san ? { subjectAltName: san } : {}),
      days: 2,
    });
    return { cert: cert.toPem(), key: key.export(), certFile: file(`guomi-${cn}.crt`, cert.toPem()), keyFile: file(`guomi-${cn}.key`, key.export()) };
  };
  return {
    ca: root.toPem(),
    caFile: file('guomi-ca.crt', root.toPem()),
    server: leaf('localhost', 'serverAuth', { dns: ['localhost'], ip: ['127.0.0.1'] }),
    client: leaf('guomi-client', 'clientAuth'),
  };
}

/** Tongsuo's own set, with the commands of toolchain.md C.2. */
function tongsuoPki(bin) {
  const cnf = file('openssl.cnf', '[req]\ndistinguished_name = dn\n[dn]\n');
  const env = { OPENSSL_CONF: cnf };
  for (const k of ['ca', 'server', 'client']) sh(bin, ['genpkey', '-algorithm', 'SM2', '-out', `t-${k}.key`], env);
  sh(bin, ['req', '-new', '-x509', '-key', 't-ca.key', '-sm3', '-days', '30', '-subj', '/C=CN/O=Tongsuo Test/CN=Tongsuo Test SM2 CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 't-ca.crt'], env);
  const leaf = (k, cn, eku) => {
    file(`t-${k}.ext`, `keyUsage=critical,digitalSignature\nextendedKeyUsage=${eku}\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n`);
    sh(bin, ['req', '-new', '-key', `t-${k}.key`, '-sm3', '-subj', `/C=CN/O=Tongsuo Test/CN=${cn}`, '-out', `t-${k}.csr`], env);
    sh(bin, ['x509', '-req', '-in', `t-${k}.csr`, '-CA', 't-ca.crt', '-CAkey', 't-ca.key', '-CAcreateserial', '-sm3', '-days', '30',
      '-extfile', `t-${k}.ext`, '-out', `t-${k}.crt`], env);
  };
  leaf('server', 'localhost', 'serverAuth');
  leaf('client', 'tongsuo-client', 'clientAuth');
  sh(bin, ['verify', '-CAfile', 't-ca.crt', 't-server.crt', 't-client.crt'], env);
  const p = (n) => join(dir, n);
  return { caFile: p('t-ca.crt'), serverCert: p('t-server.crt'), serverKey: p('t-server.key'), clientCert: p('t-client.crt'), clientKey: p('t-client.key') };
}

/** GmSSL's own set (password-encrypted keys), with the commands of toolchain.md C.2. */
function gmsslPki(bin, tag) {
  const pass = 'P@ssw0rd';
  const p = (n) => join(dir, `${tag}-${n}`);
  for (const k of ['ca', 'server', 'client']) sh(bin, ['sm2keygen', '-pass', pass, '-out', p(`${k}.key`), '-pubout', p(`${k}.pub`)]);
  sh(bin, ['certgen', '-C', 'CN', '-O', 'GmSSL Test', '-CN', 'GmSSL Test SM2 CA', '-serial_len', '12', '-days', '30', '-key', p('ca.key'),
    '-pass', pass, '-ca', '-path_len_constraint', '0', '-key_usage', 'keyCertSign', '-key_usage', 'cRLSign', '-gen_subject_key_id',
    '-out', p('ca.crt')]);
  const leaf = (k, cn, eku) => {
    sh(bin, ['reqgen', '-C', 'CN', '-O', 'GmSSL Test', '-CN', cn, '-key', p(`${k}.key`), '-pass', pass, '-out', p(`${k}.req`)]);
    sh(bin, ['reqsign', '-in', p(`${k}.req`), '-days', '30', '-serial_len', '12', '-cacert', p('ca.crt'), '-key', p('ca.key'), '-pass', pass,
      '-key_usage', 'digitalSignature', '-subject_dns_name', 'localhost', '-ext_key_usage', eku, '-gen_authority_key_id', '-out', p(`${k}.crt`)]);
  };
  leaf('server', 'localhost', 'serverAuth');
  leaf('client', 'gmssl-client', 'clientAuth');
  return { pass, caFile: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), clientCert: p('client.crt'), clientKey: p('client.key') };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Starts a peer; resolves lines matching a pattern; kills it after `limitMs`. */
function startPeer(bin, args, limitMs = 20_000) {
  const p = spawn(bin, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  let buf = '';
  const onText = (d) => {
    buf += d.toString('latin1');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        const m = w.re.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  };
  p.stdout.on('data', onText);
  p.stderr.on('data', onText);
  p.stdin.on('error', () => {});
  const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
  const exit = once(p, 'exit').then(([code, signal]) => {
    clearTimeout(timer);
    if (buf) lines.push(buf);
    return code ?? signal;
  });
  return {
    proc: p,
    lines,
    exit,
    text: () => lines.join('\n'),
    write: (s) => p.stdin.write(s),
    end: () => p.stdin.end(),
    kill: () => p.kill('SIGKILL'),
    line(re, ms = 10_000) {
      const hit = lines.map((l) => re.exec(l)).find(Boolean);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { re, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`no line matching ${re} within ${ms} ms; output:\n${lines.join('\n')}`)), ms).unref();
        exit.then(() => setTimeout(() => reject(new Error(`peer exited without a line matching ${re}; output:\n${lines.join('\n')}`)), 200));
      });
    },
  };
}

async function freePort() {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Waits until a socket listens on `port`, from /proc/net/tcp (a probe connection would be a
 * failed handshake, after which GmSSL 3.1.1's server exits).
 */
async function waitListening(port, ms = 10_000) {
  const deadline = Date.now() + ms;
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (;;) {
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    });
    // Columns: sl local_address rem_address st …; st 0A = LISTEN.
    const ok = tables.some((t) => t.split('\n').some((l) => l.split(/\s+/)[2]?.endsWith(hex.slice(0, -1)) && l.split(/\s+/)[4] === '0A'));
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// guomi sides

/**
 * guomi client: sends `lines` one at a time, waiting for each reply (`expect(line)`), with an
 * optional KeyUpdate (request_update = 1) after the first; then close_notify.
 */
function guomiClient(port, opts, { lines, expect, keyUpdate = false, waitClose = true }) {
  return new Promise((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port, servername: 'localhost', ...opts });
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`timeout; received so far: ${JSON.stringify(got)}`));
    }, 15_000);
    let got = '';
    let i = 0;
    const next = () => {
      if (i === 1 && keyUpdate) c.keyUpdate(true);
      if (i < lines.length) c.write(lines[i]);
      else {
        c.end();
        if (!waitClose) finish();
      }
    };
    c.once('secureConnect', next);
    c.on('data', (d) => {
      got += d.toString('latin1');
      if (i < lines.length && got.endsWith(expect(lines[i]))) {
        got = '';
        i++;
        next();
      }
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({
        cipher: c.getCipher()?.name,
        protocol: c.getProtocol(),
        authorized: c.authorized,
        authorizationError: c.authorizationError,
        peerCN: c.getPeerCertificate().subject?.CN,
        tickets: c.ticketsReceived,
        exchanged: i,
        socket: c,
        keyUpdates: c[kEngine].stats,
        helloRetried: c[kEngine].helloRetried,
      });
    };
    c.on('close', finish);
    c.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** guomi echo server with client authentication; resolves facts about each accepted connection. */
async function guomiServer(opts) {
  const accepted = [];
  const errors = [];
  const server = createServer({ requestCert: true, ...opts }, (s) => {
    const facts = { socket: s, authorized: s.authorized, peerCN: s.getPeerCertificate().subject?.CN, cipher: s.getCipher()?.name, servername: s.servername };
    accepted.push(facts);
    s.on('error', (e) => errors.push(e));
    s.pipe(s);
  });
  server.on('tlsClientError', (e) => errors.push(e));
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return { server, port, accepted, errors, close: () => new Promise((r) => server.close(r)) };
}

// ---------------------------------------------------------------------------------------------
// Cases

const results = [];
async function run(name, fn) {
  for (let r = 1; r <= runs; r++) {
    const label = runs > 1 ? `${name} [run ${r}/${runs}]` : name;
    try {
      const detail = await fn();
      results.push({ name: label, ok: true });
      console.log(`PASS ${label}${detail ? ` — ${detail}` : ''}`);
    } catch (err) {
      results.push({ name: label, ok: false });
      console.log(`FAIL ${label}: ${err?.stack ?? err}`);
    }
  }
}
function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}
const SUITES = ['TLS_SM4_GCM_SM3', 'TLS_SM4_CCM_SM3'];
const reverse = (line) => `${[...line.replace(/\n$/, '')].reverse().join('')}\n`;

const g = guomiPki();
console.log(`work directory: ${dir}`);
console.log(`node ${process.version}; guomi ${JSON.parse(sh('node', ['-p', 'JSON.stringify(require(process.argv[1]).version)', join(process.cwd(), 'package.json')]))}`);

if (tongsuo) {
  const version = sh(tongsuo, ['version']).trim();
  console.log(`\n== Tongsuo: ${tongsuo}: ${version}`);
  const t = tongsuoPki(tongsuo);
  const common = ['-tls1_3', '-groups', 'curveSM2', '-sigalgs', 'sm2sig_sm3'];

  for (const suite of SUITES) {
    await run(`guomi client → Tongsuo s_server, ${suite}, mutual auth, KeyUpdate, tickets, CCS`, async () => {
      const port = await freePort();
      // Defaults otherwise: middlebox CCS, two NewSessionTickets after the handshake.
      const ts = startPeer(tongsuo, ['s_server', '-accept', `127.0.0.1:${port}`, '-naccept', '1', ...common, '-ciphersuites', suite,
        '-cert', t.serverCert, '-key', t.serverKey, '-Verify', '1', '-CAfile', g.caFile, '-rev']);
      await ts.line(/^ACCEPT/);
      const r = await guomiClient(port, { ca: readFileSync(t.caFile), cert: g.client.cert, key: g.client.key, ciphers: suite }, {
        lines: ['hello from guomi\n', 'after a key update\n'],
        expect: reverse,
        keyUpdate: true,
      });
      await ts.exit;
      check(r.cipher === suite && r.protocol === 'TLSv1.3', `cipher ${r.cipher}`);
      check(r.authorized, `server chain: ${r.authorizationError}`);
      check(r.exchanged === 2, 'both lines echoed');
      check(r.tickets >= 1, `tickets received: ${r.tickets}`);
      check(r.keyUpdates.keyUpdatesSent >= 1 && r.keyUpdates.keyUpdatesReceived >= 1, `key updates ${JSON.stringify(r.keyUpdates)}`);
      check(/Verification: OK|Peer certificate/.test(ts.text()) || /CONNECTION ESTABLISHED/.test(ts.text()), 's_server accepted');
      check(/Peer certificate: .*guomi-client/.test(ts.text()), 's_server saw the guomi client certificate');
      return `server CN ${r.peerCN}, ${r.tickets} tickets`;
    });
  }

  await run('guomi client → Tongsuo s_server: HelloRetryRequest (no key share in ClientHello1), middlebox mode', async () => {
    const port = await freePort();
    const ts = startPeer(tongsuo, ['s_server', '-accept', `127.0.0.1:${port}`, '-naccept', '1', ...common, '-ciphersuites', SUITES[0],
      '-cert', t.serverCert, '-key', t.serverKey, '-rev']);
    await ts.line(/^ACCEPT/);
    const r = await guomiClient(port, { ca: readFileSync(t.caFile), initialKeyShare: false, middleboxCompat: true }, {
      lines: ['hello after HRR\n'],
      expect: reverse,
    });
    await ts.exit;
    check(r.exchanged === 1 && r.authorized, 'echo after HRR');
    check(r.helloRetried, 'the client received a HelloRetryRequest');
    return 'ok';
  });

  for (const suite of SUITES) {
    await run(`Tongsuo s_client → guomi server, ${suite}, mutual auth, KeyUpdate requested by the peer`, async () => {
      const srv = await guomiServer({ cert: g.server.cert, key: g.server.key, ca: readFileSync(t.caFile), ciphers: suite });
      try {
        const ts = startPeer(tongsuo, ['s_client', '-connect', `127.0.0.1:${srv.port}`, '-servername', 'localhost', ...common,
          '-ciphersuites', suite, '-CAfile', g.caFile, '-verify_return_error', '-cert', t.clientCert, '-key', t.clientKey]);
        ts.write('hello from tongsuo\n');
        await ts.line(/^hello from tongsuo/);
        ts.write('K\n'); // s_client command: KeyUpdate with update_requested
        await ts.line(/KEYUPDATE/);
        ts.write('after the update\n');
        await ts.line(/^after the update/);
        ts.end();
        await ts.exit;
        const out = ts.text();
        check(new RegExp(`Cipher is ${suite}`).test(out), 'cipher line');
        check(/Verification: OK/.test(out), 's_client verified the guomi chain');
        check(srv.accepted.length === 1, `accepted ${srv.accepted.length}`);
        const a = srv.accepted[0];
        check(a.authorized && a.peerCN === 'tongsuo-client', `client cert: ${a.peerCN} authorized=${a.authorized}`);
        check(a.servername === 'localhost', 'SNI');
        const st = a.socket[kEngine].stats;
        check(st.keyUpdatesReceived >= 1 && st.keyUpdatesSent >= 1, `key updates ${JSON.stringify(st)}`);
        check(srv.errors.length === 0, `server errors: ${srv.errors.map((e) => e.message)}`);
        return `client CN ${a.peerCN}`;
      } finally {
        await srv.close();
      }
    });
  }

  for (const [what, flags] of [
    ['defaults (only -ciphersuites)', []],
    ['-enable_sm_tls13_strict', ['-enable_sm_tls13_strict']],
  ]) {
    await run(`Tongsuo s_client ${what} → guomi server`, async () => {
      const srv = await guomiServer({ cert: g.server.cert, key: g.server.key, requestCert: false });
      try {
        const ts = startPeer(tongsuo, ['s_client', '-connect', `127.0.0.1:${srv.port}`, '-servername', 'localhost',
          '-ciphersuites', 'TLS_SM4_GCM_SM3:TLS_SM4_CCM_SM3', '-CAfile', g.caFile, '-verify_return_error', ...flags]);
        ts.write('hello with defaults\n');
        await ts.line(/^hello with defaults/);
        ts.end();
        await ts.exit;
        check(srv.accepted.length === 1, 'accepted');
        return `${srv.accepted[0].cipher}, HelloRetryRequest ${srv.accepted[0].socket[kEngine].helloRetried ? 'sent' : 'not needed'}`;
      } finally {
        await srv.close();
      }
    });
  }

  await run('guomi client → Tongsuo s_server -enable_sm_tls13_strict', async () => {
    const port = await freePort();
    const ts = startPeer(tongsuo, ['s_server', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-enable_sm_tls13_strict',
      '-ciphersuites', 'TLS_SM4_GCM_SM3:TLS_SM4_CCM_SM3', '-cert', t.serverCert, '-key', t.serverKey, '-rev']);
    await ts.line(/^ACCEPT/);
    const r = await guomiClient(port, { ca: readFileSync(t.caFile) }, { lines: ['strict mode\n'], expect: reverse });
    await ts.exit;
    check(r.exchanged === 1 && r.authorized, 'echo');
    return r.cipher;
  });

  await run('Tongsuo s_client (X25519 share first) → guomi server: HelloRetryRequest for curveSM2', async () => {
    const srv = await guomiServer({ cert: g.server.cert, key: g.server.key, ca: readFileSync(t.caFile), requestCert: false });
    try {
      const ts = startPeer(tongsuo, ['s_client', '-connect', `127.0.0.1:${srv.port}`, '-servername', 'localhost', '-tls1_3',
        '-groups', 'X25519:curveSM2', '-sigalgs', 'sm2sig_sm3', '-ciphersuites', 'TLS_SM4_GCM_SM3:TLS_SM4_CCM_SM3', '-CAfile', g.caFile,
        '-verify_return_error']);
      ts.write('hello via HRR\n');
      await ts.line(/^hello via HRR/);
      ts.end();
      await ts.exit;
      check(srv.accepted.length === 1, 'accepted');
      check(srv.accepted[0].socket[kEngine].helloRetried === true, 'the server sent a HelloRetryRequest');
      return 'ok';
    } finally {
      await srv.close();
    }
  });
}

for (const gm of gmssls) {
  const version = sh(gm, ['version']).trim().split('\n')[0];
  const tag = `gm${version.replace(/[^0-9]/g, '')}`;
  const is31 = /^GmSSL 3\.[01]\./.test(version);
  console.log(`\n== GmSSL: ${gm}: ${version}`);
  const m = gmsslPki(gm, tag);
  // 3.2 needs the suite, group and algorithm named; 3.1 hard-codes them.
  const opts32 = (suite) => (is31 ? [] : ['-cipher_suite', suite, '-supported_group', 'sm2p256v1', '-sig_alg', 'sm2sig_sm3']);

  // 3.1 hard-codes one suite and always asks for a client certificate when given -cacert; 3.2
  // also offers CCM, asks with -cert_request, and can send tickets, KeyUpdate (after N records)
  // and the middlebox CCS.
  const serverVariants = is31
    ? [{ suite: 'TLS_SM4_GCM_SM3', extra: [], what: '' }]
    : [
        { suite: 'TLS_SM4_GCM_SM3', extra: [], what: '' },
        { suite: 'TLS_SM4_CCM_SM3', extra: [], what: '' },
        {
          suite: 'TLS_SM4_GCM_SM3',
          extra: ['-new_session_ticket', '2', '-ticket_key', '00112233445566778899aabbccddeeff', '-key_update_seq_num', '2',
            '-tls13_change_cipher_spec'],
          what: ', tickets, KeyUpdate from both sides, CCS',
          lines: 5,
        },
        { suite: 'TLS_SM4_GCM_SM3', extra: [], what: ', HelloRetryRequest (no key share in ClientHello1)', hrr: true },
      ];
  for (const v of serverVariants) {
    await run(`guomi client → ${version} tls13_server, ${v.suite}, mutual auth${v.what}`, async () => {
      const port = await freePort();
      const gs = startPeer(gm, ['tls13_server', '-port', String(port), '-cert', m.serverCert, '-key', m.serverKey, '-pass', m.pass,
        '-cacert', g.caFile, ...(is31 ? [] : ['-cert_request']), ...opts32(v.suite), ...v.extra]);
      try {
        await waitListening(port);
        const lines = Array.from({ length: v.lines ?? 1 }, (_, i) => `hello ${i} from guomi\n`);
        const r = await guomiClient(port, {
          ca: readFileSync(m.caFile), cert: g.client.cert, key: g.client.key, ciphers: v.suite,
          ...(v.hrr ? { initialKeyShare: false } : {}),
        }, { lines, expect: (l) => l, keyUpdate: lines.length > 1, waitClose: false });
        check(r.cipher === v.suite, `cipher ${r.cipher}`);
        check(r.authorized, `server chain: ${r.authorizationError}`);
        check(r.exchanged === lines.length, `echoed ${r.exchanged}/${lines.length}`);
        if (v.extra.length) {
          check(r.tickets === 2, `tickets received: ${r.tickets}`);
          check(r.keyUpdates.keyUpdatesReceived >= 2 && r.keyUpdates.keyUpdatesSent >= 1, `key updates ${JSON.stringify(r.keyUpdates)}`);
        }
        if (v.hrr) check(r.helloRetried, 'the client received a HelloRetryRequest');
        r.socket.destroy();
        return `server CN ${r.peerCN}${v.extra.length ? `, ${r.tickets} tickets, key updates ${JSON.stringify(r.keyUpdates)}` : ''}`;
      } finally {
        gs.kill();
        await gs.exit;
      }
    });
  }

  {
    // The server trusts only its own root here, so the guomi client certificate must be refused.
    await run(`guomi client (untrusted certificate) → ${version} tls13_server: refused`, async () => {
      const port = await freePort();
      const gs = startPeer(gm, ['tls13_server', '-port', String(port), '-cert', m.serverCert, '-key', m.serverKey, '-pass', m.pass,
        '-cacert', m.caFile, ...(is31 ? [] : ['-cert_request']), ...opts32('TLS_SM4_GCM_SM3')]);
      try {
        await waitListening(port);
        const err = await guomiClient(port, { ca: readFileSync(m.caFile), cert: g.client.cert, key: g.client.key }, {
          lines: ['x\n'], expect: (l) => l, waitClose: false,
        }).then(() => undefined, (e) => e);
        // 3.1.1 sends bad_certificate; 3.2.0 closes the connection (a reset) without an alert.
        check(err !== undefined, 'the handshake succeeded');
        return `${err.code}`;
      } finally {
        gs.kill();
        await gs.exit;
      }
    });
  }

  const clientVariants = is31
    ? [{ suite: 'TLS_SM4_GCM_SM3', extra: [], what: '' }]
    : [
        { suite: 'TLS_SM4_GCM_SM3', extra: [], what: '' },
        { suite: 'TLS_SM4_CCM_SM3', extra: [], what: '' },
        { suite: 'TLS_SM4_GCM_SM3', extra: ['-key_update_seq_num', '2', '-tls13_change_cipher_spec'], what: ', KeyUpdate from the peer, CCS', lines: 5 },
        {
          suite: 'TLS_SM4_GCM_SM3',
          // Two groups, one key share (P-256's): the guomi server asks for curveSM2.
          groups: ['-supported_group', 'prime256v1', '-supported_group', 'sm2p256v1', '-max_key_exchanges', '1'],
          extra: [],
          what: ', HelloRetryRequest for curveSM2',
          hrr: true,
        },
      ];
  for (const v of clientVariants) {
    await run(`${version} tls13_client → guomi server, ${v.suite}, mutual auth${v.what}`, async () => {
      const srv = await guomiServer({ cert: g.server.cert, key: g.server.key, ca: readFileSync(m.caFile), ciphers: v.suite });
      try {
        const base = is31 ? [] : ['-cipher_suite', v.suite, ...(v.groups ?? ['-supported_group', 'sm2p256v1']), '-sig_alg', 'sm2sig_sm3'];
        const gc = startPeer(gm, ['tls13_client', '-host', is31 ? '127.0.0.1' : 'localhost', '-port', String(srv.port), '-cacert', g.caFile,
          '-cert', m.clientCert, '-key', m.clientKey, '-pass', m.pass, ...base, ...v.extra]);
        const n = v.lines ?? 1;
        for (let i = 0; i < n; i++) {
          gc.write(`hello ${i} from gmssl\n`);
          await gc.line(new RegExp(`hello ${i} from gmssl`));
        }
        gc.end();
        await gc.exit;
        check(srv.accepted.length === 1, `accepted ${srv.accepted.length}; errors: ${srv.errors.map((e) => e.message)}; peer: ${gc.text()}`);
        const a = srv.accepted[0];
        check(a.cipher === v.suite, `cipher ${a.cipher}`);
        check(a.authorized && a.peerCN === 'gmssl-client', `client cert ${a.peerCN} authorized=${a.authorized}`);
        const eng = a.socket[kEngine];
        if (v.extra.length) check(eng.stats.keyUpdatesReceived >= 1, `key updates ${JSON.stringify(eng.stats)}`);
        if (v.hrr) check(eng.helloRetried === true, 'the server sent a HelloRetryRequest');
        await new Promise((r) => setTimeout(r, 200));
        check(srv.errors.length === 0, `server errors: ${srv.errors.map((e) => e.message)}`);
        return `client CN ${a.peerCN}${v.extra.length ? `, key updates ${JSON.stringify(eng.stats)}` : ''}`;
      } finally {
        await srv.close();
      }
    });
  }
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exit(failed.length ? 1 : 0);
