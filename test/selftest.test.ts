/**
 * The known-answer self-tests (GM/T 0028-style): they cover every algorithm and mode, their
 * expected values are the published ones in vectors/ (or, for PBKDF2-SM3, node:crypto's), each
 * fails when its primitive is broken, and GUOMI_SELFTEST=startup runs them once, on first use,
 * in a child process, and refuses service when one fails.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pureBackend } from '../src/backend/pure.js';
import { runStartupSelfTest } from '../src/backend/select.js';
import type { Backend } from '../src/backend/types.js';
import { GuomiError } from '../src/errors.js';
import { knownAnswerTable, runKnownAnswers } from '../src/kat.js';
import { selfTest } from '../src/selftest.js';
import { forEachBackend } from './backends.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every algorithm and mode the package offers (DESIGN.md "Public API"). */
const REQUIRED = [
  'SM3',
  'HMAC-SM3',
  'SM3-KDF',
  'HKDF-SM3',
  'PBKDF2-SM3',
  'SM4',
  'SM4-ECB',
  'SM4-CBC',
  'SM4-CTR',
  'SM4-CFB',
  'SM4-OFB',
  'SM4-GCM',
  'SM4-CCM',
  'SM4-XTS',
  'SM4-XTS-IEEE',
  'SM2 sign',
  'SM2 verify',
  'SM2 encrypt',
  'SM2 decrypt',
  'SM2 key exchange',
];

forEachBackend((name) => {
  describe('selfTest()', () => {
    it('passes every known answer and covers every algorithm and mode', () => {
      const report = selfTest();
      expect(report.backend.backend).toBe(name);
      for (const r of report.results) expect(r, `${r.algorithm}: ${r.error}`).toMatchObject({ ok: true });
      expect(report.ok).toBe(true);
      expect([...new Set(report.results.map((r) => r.algorithm))].sort()).toEqual([...REQUIRED].sort());
    });
  });
});

describe('the known answers are the published values', () => {
  const vectors = readdirSync(join(root, 'vectors'))
    .map((f) => readFileSync(join(root, 'vectors', f), 'utf8'))
    .join('\n')
    .toLowerCase()
    .replace(/[ \t]/g, '');

  it('each expected value (other than PBKDF2-SM3 and the verify check) appears in vectors/', () => {
    for (const k of knownAnswerTable()) {
      if (k.algorithm === 'PBKDF2-SM3' || k.algorithm === 'SM2 verify') continue;
      if (k.algorithm === 'SM2 decrypt') {
        // vectors/sm2_encrypt.txt gives this message as text.
        expect(vectors).toContain('msg="encryptionstandard"');
        expect(k.expected).toBe(Buffer.from('encryption standard').toString('hex'));
        continue;
      }
      if (k.algorithm === 'SM4-GCM' || k.algorithm === 'SM4-CCM') {
        // vectors/sm4_gcm.txt and sm4_ccm.txt give the ciphertext and the 16-byte tag apart.
        expect(vectors, k.algorithm).toContain(k.expected.slice(0, -32));
        expect(vectors, k.algorithm).toContain(k.expected.slice(-32));
        continue;
      }
      expect(vectors, `${k.algorithm} (${k.source})`).toContain(k.expected);
    }
  });

  it('PBKDF2-SM3 matches node:crypto (OpenSSL)', () => {
    const k = knownAnswerTable().find((x) => x.algorithm === 'PBKDF2-SM3')!;
    expect(crypto.pbkdf2Sync('password', 'salt', 2, 32, 'sm3').toString('hex')).toBe(k.expected);
  });
});

/** A copy of the pure backend with one function replaced. */
function broken(patch: Partial<Backend>): Backend {
  return { ...pureBackend, ...patch } as Backend;
}

/** Flips the first bit of what `fn` returns. */
function flip<A extends unknown[]>(fn: (...args: A) => Uint8Array): (...args: A) => Uint8Array {
  return (...args: A) => {
    const out = fn(...args).slice();
    out[0]! ^= 1;
    return out;
  };
}

describe('a broken primitive fails its known answer', () => {
  const cases: [string, Partial<Backend>, string[]][] = [
    ['sm3', { sm3: flip(pureBackend.sm3) }, ['SM3']],
    ['hmacSm3', { hmacSm3: flip(pureBackend.hmacSm3) }, ['HMAC-SM3']],
    ['sm3Kdf', { sm3Kdf: flip(pureBackend.sm3Kdf) }, ['SM3-KDF', 'SM2 key exchange']],
    ['hkdfSm3Expand', { hkdfSm3Expand: flip(pureBackend.hkdfSm3Expand) }, ['HKDF-SM3']],
    ['pbkdf2Sm3', { pbkdf2Sm3: flip(pureBackend.pbkdf2Sm3) }, ['PBKDF2-SM3']],
    ['sm2Sign', { sm2Sign: flip(pureBackend.sm2Sign) }, ['SM2 sign']],
    ['sm2Verify (accepts anything)', { sm2Verify: () => true }, ['SM2 verify']],
    ['sm2Encrypt', { sm2Encrypt: flip(pureBackend.sm2Encrypt) }, ['SM2 encrypt']],
    ['sm2Decrypt', { sm2Decrypt: flip(pureBackend.sm2Decrypt) }, ['SM2 decrypt']],
    ['sm2KeyExchangePoint', { sm2KeyExchangePoint: flip(pureBackend.sm2KeyExchangePoint) }, ['SM2 key exchange']],
    [
      'sm4Xts (encryption only)',
      {
        sm4Xts: (k1, k2, tweak, variant, decrypt, input, output) => {
          pureBackend.sm4Xts(k1, k2, tweak, variant, decrypt, input, output);
          if (!decrypt) output[0]! ^= 1;
        },
      },
      ['SM4-XTS', 'SM4-XTS-IEEE'],
    ],
    [
      'sm4GcmDecrypt (accepts any tag)',
      {
        sm4GcmDecrypt: (key, iv, aad, input, _tag, output) => {
          const full = new Uint8Array(input.length + 16);
          pureBackend.sm4GcmEncrypt(key, iv, aad, input, full, 16);
          const right = full.slice(input.length);
          return pureBackend.sm4GcmDecrypt(key, iv, aad, input, right, output);
        },
      },
      ['SM4-GCM'],
    ],
    [
      'sm4Stream in CFB mode',
      {
        sm4Stream: (key, mode, decrypt, iv) => {
          const s = pureBackend.sm4Stream(key, mode, decrypt, iv);
          if (mode !== 'cfb') return s;
          return {
            update: (i: Uint8Array, o: Uint8Array) => {
              s.update(i, o);
              if (o.length) o[0]! ^= 0x80;
            },
            destroy: () => s.destroy(),
          };
        },
      },
      ['SM4-CFB'],
    ],
  ];
  for (const [what, patch, expectFailed] of cases) {
    it(`${what} → ${expectFailed.join(', ')} fail, the rest pass`, () => {
      const results = runKnownAnswers(broken(patch));
      const failed = [...new Set(results.filter((r) => !r.ok).map((r) => r.algorithm))].sort();
      expect(failed).toEqual([...expectFailed].sort());
      expect(() => runStartupSelfTest(broken(patch))).toThrowError(
        expect.objectContaining({ name: 'GuomiError', code: 'ERR_SELF_TEST_FAILED' }) as Error,
      );
    });
  }

  it('an exception inside a primitive is a failure, not a crash', () => {
    const results = runKnownAnswers(
      broken({
        sm4ExpandKey: () => {
          throw new Error('boom');
        },
      }),
    );
    expect(results.filter((r) => r.algorithm.startsWith('SM4')).every((r) => !r.ok && r.error === 'boom')).toBe(true);
    expect(results.filter((r) => !r.algorithm.startsWith('SM4')).every((r) => r.ok)).toBe(true);
  });

  it('runStartupSelfTest passes the intact backend', () => {
    expect(runStartupSelfTest(pureBackend).every((r) => r.ok)).toBe(true);
    expect(new GuomiError('ERR_SELF_TEST_FAILED', 'x').code).toBe('ERR_SELF_TEST_FAILED');
  });
});

/** Runs an ES module script in a child Node with the given environment; returns its JSON output. */
function child(script: string, env: NodeJS.ProcessEnv): { status: number | null; out: unknown; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, GUOMI_BACKEND: undefined, GUOMI_SELFTEST: undefined, ...env },
    encoding: 'utf8',
  });
  let out: unknown;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    out = r.stdout;
  }
  return { status: r.status, out, stderr: r.stderr };
}

const dist = (p: string) => JSON.stringify(pathToFileURL(join(root, 'dist', p)).href);

describe('GUOMI_SELFTEST=startup (child processes on dist/)', () => {
  for (const backend of ['native', 'pure']) {
    it(`${backend}: nothing runs at import; the first call runs all known answers once`, () => {
      const script = `
        const g = await import(${dist('index.js')});
        const sel = await import(${dist('backend/select.js')});
        const before = sel.startupSelfTest();
        const digest = Buffer.from(g.sm3('abc')).toString('hex');
        const first = sel.startupSelfTest();
        g.sm4.ecb(new Uint8Array(16)).encrypt(new Uint8Array(16));
        const second = sel.startupSelfTest();
        console.log(JSON.stringify({ before, digest, count: first.results.length, ok: first.results.every((r) => r.ok),
          once: first.ranAt === second.ranAt && first.results === second.results, mode: first.mode,
          report: g.complianceReport().selfTest.startup }));`;
      const r = child(script, { GUOMI_SELFTEST: 'startup', GUOMI_BACKEND: backend });
      expect(r.stderr).toBe('');
      expect(r.out).toMatchObject({
        before: { mode: 'startup' },
        digest: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
        count: knownAnswerTable().length,
        ok: true,
        once: true,
        mode: 'startup',
        report: { ok: true, count: knownAnswerTable().length },
      });
      expect((r.out as { before: object }).before).not.toHaveProperty('results');
    });
  }

  it('a failing known answer at startup: the first call and every later one throw ERR_SELF_TEST_FAILED', () => {
    // The pure backend object is patched before first use, as a fault would corrupt it.
    const script = `
      const { pureBackend } = await import(${dist('backend/pure.js')});
      const real = pureBackend.sm4Ecb;
      pureBackend.sm4Ecb = (k, d, i, o) => { real(k, d, i, o); o[0] ^= 1; };
      const g = await import(${dist('index.js')});
      const seen = [];
      for (const f of [() => g.sm3('abc'), () => g.sm4.ecb(new Uint8Array(16)), () => g.selfTest(), () => g.Sm2PrivateKey.generate()]) {
        try { f(); seen.push('returned'); } catch (e) { seen.push(e.name + ' ' + e.code + ' ' + /SM4-ECB/.test(e.message)); }
      }
      console.log(JSON.stringify(seen));`;
    const r = child(script, { GUOMI_SELFTEST: 'startup', GUOMI_BACKEND: 'pure' });
    expect(r.out).toEqual(Array(4).fill('GuomiError ERR_SELF_TEST_FAILED true'));
  });

  it('without GUOMI_SELFTEST the same fault is only reported by selfTest()', () => {
    const script = `
      const { pureBackend } = await import(${dist('backend/pure.js')});
      const real = pureBackend.sm4Ecb;
      pureBackend.sm4Ecb = (k, d, i, o) => { real(k, d, i, o); o[0] ^= 1; };
      const g = await import(${dist('index.js')});
      const r = g.selfTest();
      console.log(JSON.stringify({ ok: r.ok, failed: r.results.filter((x) => !x.ok).map((x) => x.algorithm) }));`;
    const r = child(script, { GUOMI_BACKEND: 'pure' });
    expect(r.out).toEqual({ ok: false, failed: ['SM4', 'SM4-ECB'] });
  });

  it('an unknown GUOMI_SELFTEST value is refused, not ignored', () => {
    const r = child(`const g = await import(${dist('index.js')}); try { g.sm3('x'); console.log('"ran"'); } catch (e) { console.log(JSON.stringify(e.code)); }`, {
      GUOMI_SELFTEST: 'statup',
    });
    expect(r.out).toBe('ERR_SELF_TEST_FAILED');
  });
});

describe('the pairwise consistency test of key generation (GM/T 0028 conditional self-test)', () => {
  it('a fault in signing makes Sm2PrivateKey.generate() and generateKeyPair() refuse the key', () => {
    const script = `
      const { pureBackend } = await import(${dist('backend/pure.js')});
      const real = pureBackend.sm2Sign;
      pureBackend.sm2Sign = (...a) => { const s = real(...a); s[40] ^= 1; return s; };
      const g = await import(${dist('index.js')});
      const seen = [];
      for (const f of [() => g.Sm2PrivateKey.generate(), () => g.generateKeyPair(), () => g.Sm2PrivateKey.generate({ consistencyTest: false })]) {
        try { f(); seen.push('key'); } catch (e) { seen.push(e.name + ' ' + e.code); }
      }
      console.log(JSON.stringify(seen));`;
    const r = child(script, { GUOMI_BACKEND: 'pure' });
    expect(r.out).toEqual(['GuomiError ERR_SM2_INVALID_KEY', 'GuomiError ERR_SM2_INVALID_KEY', 'key']);
  });
});
