#!/usr/bin/env node
// TLS 1.3 with the RFC 8998 ShangMi suites (TLS_SM4_GCM_SM3 over curveSM2, sm2sig_sm3
// certificates): a server and a client in one process, with a throwaway PKI.
//
//   node examples/tls-echo.mjs
//
// guomi/tls is shaped like node:tls: createServer(options, listener) and connect(options,
// callback) give Duplex sockets with getCipher(), getProtocol(), getPeerCertificate(). For a
// Tongsuo or GmSSL peer and the CLI see docs/tls.md and docs/tls-interop.md.
import { Sm2PrivateKey } from 'guomi/sm2';
import { connect, createServer } from 'guomi/tls';
import { createCertificate } from 'guomi/x509';

// A root CA and a server certificate for "localhost" (see examples/x509-issue.mjs).
const caKey = Sm2PrivateKey.generate();
const ca = createCertificate({ signingKey: caKey, subject: 'CN=Example TLS CA,C=CN', ca: true });
const serverKey = Sm2PrivateKey.generate();
const serverCert = createCertificate({
  signingKey: caKey,
  issuer: ca,
  subject: 'CN=localhost,C=CN',
  publicKey: serverKey.publicKey,
  subjectAltName: { dns: ['localhost'], ip: ['127.0.0.1'] },
  extKeyUsage: ['serverAuth'],
});

// Server: PEM strings (or Buffers) as with node:tls; `cert` may hold the whole chain.
const server = createServer({ cert: serverCert.toPem(), key: serverKey.export() }, (socket) => {
  socket.on('data', (d) => socket.write(d.toString().toUpperCase()));
  socket.on('end', () => socket.end());
});
server.on('tlsClientError', (err) => console.error(`handshake failed: ${err.code}`));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

// Client: the server certificate is checked against `ca` and the name "localhost".
const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.toPem() }, () => {
  const c = socket.getCipher();
  console.log(`protocol ${socket.getProtocol()} cipher ${c.name}`);
  console.log(`server certificate ${socket.getPeerCertificate().subject.CN}`);
  socket.end('hello over sm4-gcm');
});
let reply = '';
socket.on('data', (d) => (reply += d));
socket.on('error', (err) => {
  console.error(`client error: ${err.code ?? ''} ${err.message}`);
  process.exitCode = 1;
});
socket.on('close', () => {
  console.log(`reply ${reply}`);
  server.close();
});
