/**
 * Every CPU path of the native backend: each detected feature is switched off in turn (and then
 * all of them), and the known answers must still pass while backendInfo() reports the
 * implementation actually chosen. GUOMI_DISABLE is also checked in a child process, since it is
 * read when the addon loads.
 *
 * On arm64 the implementation each primitive must use follows from the enabled features (SM3
 * and SM4 instructions, PMULL, NEON). GUOMI_EXPECT_FEATURES (set by scripts/cross-test.sh for
 * each qemu CPU model, e.g. "sm3,sm4,pmull" or "-sm3,-sm4,pmull") also fixes which features
 * the CPU must report, so a detection that silently found nothing cannot pass as "portable".
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../src/backend/addon.js';
import { backendInfo, useBackendForTesting } from '../src/backend/select.js';
import type { ImplementationInfo } from '../src/backend/types.js';
import { sm3, hmacSm3 } from '../src/sm3.js';
import { sm4 } from '../src/sm4.js';
import { Sm2PublicKey, verify } from '../src/sm2.js';
import { BACKENDS } from './backends.js';
import { forEachVector } from './filetest.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function runKnownAnswers(): void {
  forEachVector('sm3.txt', (t) => {
    const msg = t.bytes('Msg');
    const times = t.has('Repeat') ? t.num('Repeat') : 1;
    const want = toHex(t.bytes('Digest'));
    const h = sm3.create();
    for (let i = 0; i < times; i++) h.update(msg);
    expect(toHex(h.digest()), t.where()).toBe(want);
  });
  forEachVector('hmac_sm3.txt', (t) => {
    expect(toHex(hmacSm3(t.bytes('Key'), t.bytes('Msg'))), t.where()).toBe(toHex(t.bytes('Tag')));
  });
  // hmacSm3.batch, whose messages of up to 55 bytes go through the multi-lane kernels: 40
  // messages of every length 0..60 under three keys (full and partial groups of 8 and 16 lanes,
  // and the one-at-a-time path for 56..60), against node:crypto's HMAC-SM3.
  const keys = [Buffer.alloc(16, 1), Buffer.alloc(32, 2), Buffer.alloc(100, 3)];
  const prepared = hmacSm3.prepare(keys);
  for (const n of [1, 7, 8, 9, 16, 17, 40]) {
    const msgs = Array.from({ length: n }, (_v, i) => Buffer.alloc((i * 13 + n) % 61, i + n));
    const which = Uint32Array.from(msgs, (_m, i) => (i * 7) % 3);
    let end = 0;
    const ends = Uint32Array.from(msgs, (m) => (end += m.length));
    const out = hmacSm3.batch(prepared, which, Buffer.concat(msgs), ends);
    msgs.forEach((m, i) => {
      const want = crypto.createHmac('sm3', keys[which[i]!]!).update(m).digest('hex');
      expect(toHex(out.subarray(32 * i, 32 * i + 32)), `batch of ${n}, message ${i}`).toBe(want);
    });
  }
  prepared.destroy();
  // SM4 (GB/T 32907 Annex A.1) and the RFC 8998 AEAD vectors, which also exercise GHASH.
  const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
  expect(toHex(sm4.ecb(key, { padding: 'none' }).encrypt(key))).toBe('681edf34d206965e86b3e94f536e4246');
  const iv = Buffer.from('00001234567800000000abcd', 'hex');
  const aad = Buffer.from('feedfacedeadbeeffeedfacedeadbeefabaddad2', 'hex');
  const pt = Buffer.from(['aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'ee', 'aa'].map((b) => b.repeat(8)).join(''), 'hex');
  expect(toHex(sm4.gcm(key, iv, { aad }).encrypt(pt))).toBe(
    '17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d' +
      '83de3541e4c2b58177e065a9bf7b62ec',
  );
  // SM2 (the field arithmetic differs between paths): every sm2p256v1 signature vector gives
  // its expected verdict.
  forEachVector('sm2_sign.txt', (t) => {
    for (const name of ['D', 'E', 'K', 'ZA']) if (t.has(name)) t.bytes(name);
    const curve = t.str('Curve'), pub = t.bytes('Pub'), sig = t.bytes('Sig'), result = t.str('Result');
    const msg = t.has('Msg') ? t.bytes('Msg') : undefined;
    const id = t.has('Id') ? t.bytes('Id') : undefined;
    if (curve !== 'sm2p256v1' || !msg || !id) return;
    let ok: boolean;
    try {
      ok = verify(msg, sig, Sm2PublicKey.from(pub), { id, encoding: 'raw' });
    } catch {
      ok = false; // an invalid public key in a must-fail case
    }
    expect(ok, t.where()).toBe(result === 'valid');
  });
  expect(toHex(sm4.ccm(key, iv, { aad }).encrypt(pt))).toBe(
    '48af93501fa62adbcd414cce6034d895dda1bf8f132f042098661572e7483094fd12e518ce062c98acee28d95df4416bed31a2f04476c18bb40c84a74b97dc5b' +
      '16842d4fa186f56ab33256971fa110f4',
  );
}

type Primitive = 'sm3' | 'sm4' | 'ghash' | 'sm2';

/**
 * What the arm64 dispatchers (sm3.cc, sm4_key.cc, ghash.cc, sm2.cc) choose for a set of enabled
 * features. The SM2 field in A64 assembly needs nothing beyond ARMv8-A; switching "neon" off is
 * what selects its portable twin.
 */
function expectedArm64(enabled: readonly string[]): Record<Primitive, string> {
  const on = (f: string) => enabled.includes(f);
  return {
    sm3: on('sm3') ? 'armv8 sm3' : 'portable',
    sm4: on('sm4') ? 'armv8 sm4' : on('neon') ? 'armv8 neon' : 'portable bitsliced',
    ghash: on('pmull') ? 'armv8 pmull' : 'portable ctmul',
    sm2: on('neon') ? 'armv8 asm' : 'portable',
  };
}

const chosen = (impl: ImplementationInfo): Record<Primitive, string> => ({
  sm3: impl.sm3,
  sm4: impl.sm4,
  ghash: impl.ghash,
  sm2: impl.sm2,
});

describe.runIf(BACKENDS.includes('native'))('native CPU paths', () => {
  const addon = BACKENDS.includes('native') ? loadAddon() : undefined;
  const detected = addon ? addon.cpuInfo().detected : [];
  afterAll(() => addon?.setDisabledFeatures(''));

  it('reports the CPU and an implementation for SM3', () => {
    useBackendForTesting('native');
    const info = backendInfo();
    expect(info.backend).toBe('native');
    expect(info.cpu?.arch).toMatch(/x86-64|arm64|loong64|other/);
    expect(info.implementations.sm3).toMatch(/portable|avx2|armv8/);
  });

  const arm64 = addon?.cpuInfo().arch === 'arm64';
  const expectFeatures = (process.env['GUOMI_EXPECT_FEATURES'] ?? '').split(',').filter(Boolean);

  // These two exist only where they can run (declared conditionally rather than skipped): the
  // first when scripts/cross-test.sh names the emulated CPU's features, the second on arm64.
  if (expectFeatures.length > 0) {
    it(`the CPU reports the expected features: ${expectFeatures.join(',')}`, () => {
      for (const f of expectFeatures) {
        if (f.startsWith('-')) expect(detected, f).not.toContain(f.slice(1));
        else expect(detected, f).toContain(f);
      }
    });
  }

  if (arm64) {
    it('arm64: every primitive takes the path its CPU features call for', () => {
      useBackendForTesting('native');
      expect(addon!.setDisabledFeatures('')).toBe(0);
      const impl = backendInfo().implementations;
      expect(detected).toContain('neon'); // Advanced SIMD is mandatory in ARMv8-A
      expect(chosen(impl)).toEqual(expectedArm64(detected));
      expect(impl.sm4).toMatch(/^armv8 (sm4|neon)$/);
      if (detected.includes('sm3')) expect(impl.sm3).toBe('armv8 sm3');
      if (detected.includes('pmull')) expect(impl.ghash).toBe('armv8 pmull');
    });
  }

  for (const feature of [...detected, 'all']) {
    it(`known answers with '${feature}' switched off`, () => {
      useBackendForTesting('native');
      expect(addon!.setDisabledFeatures(feature)).toBe(0);
      runKnownAnswers();
      const impl = backendInfo().implementations;
      if (feature === 'all') {
        expect(impl.sm3).toBe('portable');
        expect(impl.sm3Lanes).toBe('none');
        expect(impl.sm4).toMatch(/portable/);
        expect(impl.ghash).toMatch(/portable/);
        expect(impl.sm2).toBe('portable');
      }
      if (feature === 'avx2' || feature === 'bmi2') expect(impl.sm3).not.toMatch(/avx2/);
      if (feature === 'avx2') expect(impl.sm3Lanes).toBe('none');
      if (feature === 'avx512') expect(impl.sm3Lanes).not.toMatch(/avx512/);
      if (feature === 'gfni') expect(impl.sm4).not.toMatch(/gfni/);
      if (feature === 'aesni') expect(impl.sm4).not.toMatch(/aesni/);
      if (feature === 'vpclmul') expect(impl.ghash).not.toMatch(/vpclmul/);
      if (feature === 'adx' || feature === 'bmi2') expect(impl.sm2).toBe('portable');
      if (arm64) {
        const enabled = feature === 'all' ? [] : detected.filter((f) => f !== feature);
        expect(chosen(impl)).toEqual(expectedArm64(enabled));
      }
    });
  }

  it('GUOMI_DISABLE is read when the addon loads', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "const a=require('node-gyp-build')(process.cwd()); console.log(JSON.stringify([a.cpuInfo().disabled, a.implementations().sm3]))"],
      { env: { ...process.env, GUOMI_DISABLE: 'all' }, encoding: 'utf8' },
    );
    const [disabled, impl] = JSON.parse(out) as [string[], string];
    expect(disabled).toEqual(detected);
    expect(impl).toBe('portable');
  });
});
