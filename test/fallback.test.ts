/**
 * Without a loadable addon the package still works, on the pure backend, and says why; with
 * GUOMI_BACKEND=native it refuses with ERR_BACKEND_UNAVAILABLE. Checked on a copy of the compiled
 * package that has no build/ and no prebuilds/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('no native addon available', () => {
  const pkg = mkdtempSync(join(tmpdir(), 'guomi-noaddon-'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));

  const probe = (env: NodeJS.ProcessEnv) =>
    spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `
        import { backendInfo, sm3 } from ${JSON.stringify(join(pkg, 'dist', 'index.js'))};
        try {
          const digest = Buffer.from(sm3('abc')).toString('hex');
          console.log(JSON.stringify({ info: backendInfo(), digest }));
        } catch (e) { console.log(JSON.stringify({ error: e.code, message: e.message })); }`],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );

  it('auto falls back to the pure backend and records the reason', () => {
    const r = probe({ GUOMI_BACKEND: 'auto' });
    const out = JSON.parse(r.stdout);
    expect(out.digest).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(out.info.backend).toBe('pure');
    expect(out.info.fallbackReason).toMatch(/could not be loaded/);
  });

  it('the reason written by the install script is reported', () => {
    mkdirSync(join(pkg, 'build'));
    writeFileSync(join(pkg, 'build', 'guomi-native-unavailable.txt'), 'guomi: the native addon could not be built: no compiler; the pure-TypeScript backend will be used\n');
    const out = JSON.parse(probe({ GUOMI_BACKEND: 'auto' }).stdout);
    expect(out.info.fallbackReason).toMatch(/could not be built: no compiler/);
  });

  it('GUOMI_BACKEND=native refuses with ERR_BACKEND_UNAVAILABLE', () => {
    const out = JSON.parse(probe({ GUOMI_BACKEND: 'native' }).stdout);
    expect(out.error).toBe('ERR_BACKEND_UNAVAILABLE');
  });

  it('an invalid GUOMI_BACKEND is an error, not a silent default', () => {
    const out = JSON.parse(probe({ GUOMI_BACKEND: 'fast' }).stdout);
    expect(out.error).toBe('ERR_BACKEND_UNAVAILABLE');
    expect(out.message).toMatch(/auto, native or pure/);
  });
});
