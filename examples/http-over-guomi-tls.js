#!/usr/bin/env node
// HTTP over TLS 1.3 with the RFC 8998 ShangMi suites (TLS_SM4_GCM_SM3), using node:http on
// both sides and guomi/tls underneath.
//
//   node examples/http-over-guomi-tls.js                 # self-contained demo: throwaway PKI,
//                                                        # a server, three requests, then exit
//   node examples/http-over-guomi-tls.js serve PORT CERT KEY        # only the server
//   node examples/http-over-guomi-tls.js get URL CA [SERVERNAME]    # only a client request
//
// Server: a node:http server receives every secured guomi/tls socket as a 'connection'.
// Client: http.request() with `createConnection` returning a guomi/tls socket, and an
// http.Agent subclass whose createConnection does the same, so that keep-alive reuses one TLS
// connection for several requests.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { connect, createServer } from 'guomi/tls';

/**
 * Starts an HTTP server on guomi/tls.
 * @param {{ cert: string | Buffer, key: string | Buffer, port?: number, host?: string }} options
 * @param {http.RequestListener} handler
 * @returns {Promise<{ tlsServer: import('guomi/tls').TLSServer, httpServer: http.Server, port: number }>}
 */
export async function startHttpServer({ cert, key, port = 0, host = '127.0.0.1' }, handler) {
  const httpServer = http.createServer(handler);
  const tlsServer = createServer({ cert, key, ALPNProtocols: ['http/1.1'] }, (socket) => {
    // node:http takes any Duplex as a connection.
    httpServer.emit('connection', socket);
  });
  tlsServer.on('tlsClientError', (err) => console.error(`TLS handshake failed: ${err.code}: ${err.message}`));
  await new Promise((resolve) => tlsServer.listen(port, host, resolve));
  return { tlsServer, httpServer, port: tlsServer.address().port };
}

/** An http.Agent whose connections are guomi/tls sockets (keep-alive works as with https.Agent). */
export class GuomiAgent extends http.Agent {
  /** @param {http.AgentOptions & { ca: string | Buffer, servername?: string }} options */
  constructor(options) {
    super({ keepAlive: true, ...options });
    this.tlsOptions = { ca: options.ca, servername: options.servername };
  }

  createConnection(options, callback) {
    const socket = connect({
      host: options.host,
      port: Number(options.port),
      servername: this.tlsOptions.servername ?? options.host,
      ca: this.tlsOptions.ca,
      ALPNProtocols: ['http/1.1'],
    });
    socket.once('secureConnect', () => callback?.(null, socket));
    socket.once('error', (err) => callback?.(err));
    return undefined; // the socket is handed over through the callback
  }
}

/**
 * One GET request over a fresh guomi/tls connection (http.request with createConnection).
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, body: string, cipher: string }>}
 */
export function get(url, { ca, servername }) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let tls;
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        createConnection: () => {
          tls = connect({ host: u.hostname, port: Number(u.port), servername: servername ?? u.hostname, ca, ALPNProtocols: ['http/1.1'] });
          return tls;
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, cipher: tls.getCipher()?.name }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** GET through an agent (keep-alive). */
function agentGet(agent, url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body, socket: res.socket }));
      })
      .on('error', reject);
  });
}

async function demo() {
  // A throwaway PKI made with guomi/x509.
  const { Sm2PrivateKey } = await import('guomi/sm2');
  const { createCertificate } = await import('guomi/x509');
  const caKey = Sm2PrivateKey.generate();
  const ca = createCertificate({ signingKey: caKey, subject: 'CN=demo root,O=guomi,C=CN', ca: true, days: 1 });
  const key = Sm2PrivateKey.generate();
  const cert = createCertificate({
    signingKey: caKey,
    issuer: ca,
    subject: 'CN=localhost,O=guomi,C=CN',
    publicKey: key.publicKey,
    subjectAltName: { dns: ['localhost'], ip: ['127.0.0.1'] },
    extKeyUsage: ['serverAuth'],
    days: 1,
  });
  const { tlsServer, httpServer, port } = await startHttpServer({ cert: cert.toPem(), key: key.export() }, (req, res) => {
    const body = JSON.stringify({ path: req.url, cipher: req.socket.getCipher().name, alpn: req.socket.alpnProtocol });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  const url = `https://localhost:${port}`;
  const one = await get(`${url}/hello?x=1`, { ca: ca.toPem() });
  console.log(`GET /hello?x=1 -> ${one.status} ${one.body} (client cipher ${one.cipher})`);

  const agent = new GuomiAgent({ ca: ca.toPem(), maxSockets: 1 });
  const sockets = new Set();
  for (const path of ['/a', '/b', '/c']) {
    const r = await agentGet(agent, `http://localhost:${port}${path}`);
    sockets.add(r.socket);
    console.log(`agent GET ${path} -> ${r.status} ${r.body}`);
  }
  console.log(`agent requests used ${sockets.size} TLS connection(s)`);
  agent.destroy();
  httpServer.close();
  tlsServer.close();
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') {
  const [port, certFile, keyFile] = args;
  const { port: bound } = await startHttpServer(
    { cert: readFileSync(certFile), key: readFileSync(keyFile), port: Number(port) },
    (req, res) => res.end(`hello over ${req.socket.getCipher().name}\n`),
  );
  console.log(`listening on https://127.0.0.1:${bound}`);
} else if (mode === 'get') {
  const [url, caFile, servername] = args;
  const r = await get(url, { ca: readFileSync(caFile), servername });
  console.log(`${r.status} ${r.cipher}\n${r.body}`);
} else {
  await demo();
}
