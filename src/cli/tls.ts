/**
 * `guomi tls connect HOST:PORT` (like openssl s_client) and `guomi tls serve` (an echo or file
 * server, like s_server), over TLS 1.3 with the RFC 8998 ShangMi suites of guomi/tls.
 *
 * Exit status: 0 success; 1 a TLS failure (handshake refused, alert, certificate rejected);
 * 2 bad usage or unreadable files.
 */
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from '../tls/index.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, subcommand, type ParsedArgs, type Command } from './common.js';

const HELP = `Usage: guomi tls connect HOST:PORT [options]
       guomi tls serve --cert FILE --key FILE [options]

TLS 1.3 with TLS_SM4_GCM_SM3 / TLS_SM4_CCM_SM3, curveSM2 and sm2sig_sm3 (RFC 8998).

connect: open a connection, then copy standard input to it and what arrives to standard
output; the end of standard input ends the sending side (close_notify). A summary of the
handshake goes to standard error.
  --ca FILE            trust anchors (PEM); without it nothing is trusted unless --insecure
  --cert FILE --key FILE   client certificate chain and SM2 key (PEM)
  --pass-file FILE     passphrase of an encrypted --key (first line of FILE; GmSSL keys)
  --servername NAME    SNI and the name checked in the certificate (default: HOST)
  --alpn LIST          ALPN protocols, comma-separated
  --ciphers LIST       TLS_SM4_GCM_SM3 and/or TLS_SM4_CCM_SM3, colon-separated
  --insecure           do not abort when the certificate or name does not verify
  --middlebox          middlebox compatibility mode (session id and ChangeCipherSpec)
  --keylog FILE        append NSS key-log lines (for Wireshark)
  -q, --quiet          no handshake summary

serve: accept connections and echo what each client sends (default), or send a file.
  --cert FILE --key FILE   server certificate chain (leaf first) and SM2 key (PEM), required
  --pass-file FILE     passphrase of an encrypted --key (first line of FILE)
  --port N             port (default 8443; 0 picks one)   --host ADDR   (default 127.0.0.1)
  --ca FILE            trust anchors for client certificates
  --request-cert       ask for a client certificate (refused when invalid unless --insecure)
  --file PATH          send PATH to each client, then close
  --alpn LIST          ALPN protocols, comma-separated
  --ciphers LIST       suites in order of preference
  --keylog FILE        append NSS key-log lines
  --once               exit after the first connection closes
  -q, --quiet          no per-connection log

The bound address is printed as "listening HOST:PORT" on standard output.

Exit status: 0 on success, 1 on a TLS failure (handshake refused, alert, certificate rejected),
2 on bad usage or unreadable files.`;

const OPTIONS = {
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'pass-file': { type: 'string' },
  servername: { type: 'string' },
  alpn: { type: 'string' },
  ciphers: { type: 'string' },
  insecure: { type: 'boolean' },
  middlebox: { type: 'boolean' },
  keylog: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  port: { type: 'string' },
  host: { type: 'string' },
  'request-cert': { type: 'boolean' },
  file: { type: 'string' },
  once: { type: 'boolean' },
} as const;

/** The passphrase from --pass-file (its first line), if given. */
async function passphrase(args: ParsedArgs): Promise<{ passphrase?: string }> {
  const data = await readOpt(args, 'pass-file');
  return data === undefined ? {} : { passphrase: data.toString('utf8').split(/\r?\n/)[0]! };
}

async function readOpt(args: ParsedArgs, name: string): Promise<Buffer | undefined> {
  const f = str(args, name);
  if (f === undefined) return undefined;
  try {
    return await readFile(f);
  } catch (err) {
    throw new CliError(`--${name}: ${(err as Error).message}`);
  }
}

function keylogTo(file: string | undefined): ((line: Buffer) => void) | undefined {
  return file === undefined ? undefined : (line) => appendFileSync(file, line);
}

function describe(socket: TLSSocket, certExpected: boolean): string {
  const peer = socket.getPeerCertificate();
  const subject = peer.subject ? Object.entries(peer.subject).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '(none)';
  const lines = [`protocol: ${socket.getProtocol()}, cipher: ${socket.getCipher()?.name}`];
  if (certExpected) {
    lines.push(`peer certificate: ${subject}`);
    lines.push(`verification: ${socket.authorized ? 'OK' : `FAILED (${socket.authorizationError ?? 'no certificate'})`}`);
  }
  if (socket.alpnProtocol) lines.push(`ALPN: ${socket.alpnProtocol}`);
  return lines.join('\n');
}

async function runConnect(args: ParsedArgs): Promise<number> {
  const target = args.positionals[1];
  if (!target) throw new CliError('connect needs HOST:PORT');
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(target);
  if (!m) throw new CliError(`"${target}" is not HOST:PORT`);
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  const [ca, cert, key, pass] = await Promise.all([readOpt(args, 'ca'), readOpt(args, 'cert'), readOpt(args, 'key'), passphrase(args)]);
  const quiet = args.values['quiet'] === true;
  const keylog = keylogTo(str(args, 'keylog'));
  const alpn = str(args, 'alpn');
  return new Promise((resolve) => {
    let socket: TLSSocket;
    try {
      socket = connect({
        host,
        port,
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key, ...pass } : {}),
        ...(str(args, 'servername') ? { servername: str(args, 'servername') } : {}),
        ...(alpn ? { ALPNProtocols: alpn.split(',') } : {}),
        ...(str(args, 'ciphers') ? { ciphers: str(args, 'ciphers') } : {}),
        rejectUnauthorized: args.values['insecure'] !== true,
        middleboxCompat: args.values['middlebox'] === true,
      });
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    if (keylog) socket.on('keylog', keylog);
    let failed = false;
    socket.on('secureConnect', () => {
      if (!quiet) console.error(`CONNECTED ${host}:${port}\n${describe(socket, true)}`);
      process.stdin.pipe(socket);
    });
    socket.on('data', (d: Buffer) => process.stdout.write(d));
    socket.on('end', () => {
      process.stdin.unpipe(socket);
      process.stdin.pause();
    });
    socket.on('error', (err: Error & { code?: string }) => {
      failed = true;
      console.error(`guomi: ${err.code ? `${err.code}: ` : ''}${err.message}`);
    });
    socket.on('close', () => {
      process.stdin.unpipe(socket);
      process.stdin.destroy();
      resolve(failed ? EXIT_FAILED : EXIT_OK);
    });
  });
}

async function runServe(args: ParsedArgs): Promise<number> {
  const [ca, cert, key, file] = await Promise.all([
    readOpt(args, 'ca'),
    readOpt(args, 'cert'),
    readOpt(args, 'key'),
    readOpt(args, 'file'),
  ]);
  const pass = await passphrase(args);
  if (!cert || !key) throw new CliError('serve needs --cert and --key');
  const port = Number(str(args, 'port') ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('--port must be 0..65535');
  const host = str(args, 'host') ?? '127.0.0.1';
  const quiet = args.values['quiet'] === true;
  const once = args.values['once'] === true;
  const alpn = str(args, 'alpn');
  const keylog = keylogTo(str(args, 'keylog'));
  const requestCert = args.values['request-cert'] === true;
  let server;
  try {
    server = createServer({
      cert,
      key,
      ...pass,
      ...(ca ? { ca } : {}),
      requestCert,
      rejectUnauthorized: args.values['insecure'] !== true,
      ...(alpn ? { ALPNProtocols: alpn.split(',') } : {}),
      ...(str(args, 'ciphers') ? { ciphers: str(args, 'ciphers') } : {}),
      allowHalfOpen: true,
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (keylog) server.on('keylog', keylog);
  let n = 0;
  return new Promise((resolve) => {
    server.on('secureConnection', (socket: TLSSocket) => {
      const id = ++n;
      if (!quiet) console.error(`connection ${id} from ${socket.remoteAddress}:${socket.remotePort}\n${describe(socket, requestCert)}`);
      socket.on('error', (err: Error & { code?: string }) => {
        if (!quiet) console.error(`connection ${id}: ${err.code ?? ''} ${err.message}`);
      });
      socket.on('close', () => {
        if (!quiet) console.error(`connection ${id} closed`);
        if (once) server.close(() => resolve(EXIT_OK));
      });
      if (file) {
        socket.resume();
        socket.end(file);
      } else {
        socket.pipe(socket);
      }
    });
    server.on('tlsClientError', (err: Error & { code?: string }) => {
      if (!quiet) console.error(`handshake failed: ${err.code ?? ''} ${err.message}`);
    });
    server.on('error', (err) => {
      console.error(`guomi: ${err.message}`);
      resolve(EXIT_FAILED);
    });
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      console.log(`listening ${a.address}:${a.port}`);
    });
  });
}

/** The `guomi tls` command (registered in main.ts). */
export const tlsCommand: Command = {
  name: 'tls',
  summary: 'TLS 1.3 client and server with the SM suites (like s_client / s_server)',
  help: HELP,
  async run(argv) {
    const args = parse(argv, OPTIONS);
    const sub = subcommand('tls', args.positionals[0], ['connect', 'serve']);
    return sub === 'connect' ? runConnect(args) : runServe(args);
  },
};
