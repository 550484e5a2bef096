/**
 * Every CPU path of the native backend: each detected feature is switched off in turn (and then
 * all of them), and the known answers must still pass while backendInfo() reports the
 * implementation actually chosen. GUOMI_DISABLE is also checked in a child process, since it is
 * read when the addon loads.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAddon } from '../src/backend/addon.js';
import { backendInfo, useBackendForTesting } from '../src/backend/select.js';
import { sm3, hmacSm3 } from '../src/sm3.js';
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
}

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

  for (const feature of [...detected, 'all']) {
    it(`known answers with '${feature}' switched off`, () => {
      useBackendForTesting('native');
      expect(addon!.setDisabledFeatures(feature)).toBe(0);
      runKnownAnswers();
      const impl = backendInfo().implementations.sm3;
      if (feature === 'all') expect(impl).toBe('portable');
      if (feature === 'avx2' || feature === 'bmi2') expect(impl).not.toMatch(/avx2/);
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
