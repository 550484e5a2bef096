#!/usr/bin/env node
// The package's install step. It never fails the installation: guomi works without its addon
// (on the pure-TypeScript backend), so a missing compiler only costs speed and constant time.
//
// 1. A prebuilt binary for this platform in prebuilds/ (or an existing build) is used as it is,
//    except in a git checkout, where the addon is always rebuilt so it is never stale.
// 2. Otherwise the addon is built with node-gyp.
// 3. If that fails, the reason is written to build/guomi-native-unavailable.txt, which
//    backendInfo() reports as the reason for falling back to the pure backend.
//
// GUOMI_SKIP_NATIVE=1 skips the build altogether.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const note = path.join(root, 'build', 'guomi-native-unavailable.txt');

function unavailable(reason) {
  fs.mkdirSync(path.dirname(note), { recursive: true });
  fs.writeFileSync(note, `guomi: ${reason}; the pure-TypeScript backend will be used\n`);
  console.warn(`guomi: ${reason}.`);
  console.warn('guomi: installed without the native addon; the pure-TypeScript backend will be used');
  console.warn('guomi: (slower, and not constant time; see README "Backends").');
}

function existingBinary() {
  try {
    return require('node-gyp-build').path(root);
  } catch {
    return null;
  }
}

function findNodeGyp() {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) {
    return process.env.npm_config_node_gyp;
  }
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  // npm ships node-gyp inside itself.
  candidates.push(
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  return candidates.find((c) => fs.existsSync(c)) || null;
}

// Build against the installed Node's own headers when they are there, so no download is needed
// (node-gyp would otherwise fetch headers from nodejs.org).
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const header = '/usr/include/node/node_version.h';
  if (!fs.existsSync(header)) return [];
  const text = fs.readFileSync(header, 'utf8');
  const v = (name) => (new RegExp(`#define ${name} (\\d+)`).exec(text) || [])[1];
  const version = `${v('NODE_MAJOR_VERSION')}.${v('NODE_MINOR_VERSION')}.${v('NODE_PATCH_VERSION')}`;
  return version === process.versions.node ? ['--nodedir=/usr'] : [];
}

function main() {
  if (process.env.GUOMI_SKIP_NATIVE === '1') {
    unavailable('the native build was skipped (GUOMI_SKIP_NATIVE=1)');
    return;
  }
  const devCheckout = fs.existsSync(path.join(root, '.git'));
  if (!devCheckout && existingBinary()) return;

  const nodeGyp = findNodeGyp();
  if (!nodeGyp) {
    unavailable('node-gyp was not found, so the native addon could not be built');
    return;
  }
  const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', ...nodedirArgs()], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status === 0 && existingBinary()) {
    fs.rmSync(note, { force: true });
    return;
  }
  const why = result.error
    ? result.error.message
    : `node-gyp rebuild exited with status ${result.status} (is a C++ compiler installed?)`;
  unavailable(`the native addon could not be built: ${why}`);
}

main();
