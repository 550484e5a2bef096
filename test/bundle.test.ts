/**
 * The pure backend survives a tree-shaking, minifying browser bundle: browser/guomi-kat.ts bundled
 * by esbuild for the browser platform (which refuses node:* imports) and run in a bare V8 context
 * with a stub document passes every known answer. (A statement-level IIFE marked pure once filled
 * the SM4 tables; bundlers deleted it and SM4 gave wrong answers in browsers.) .ci/package.sh runs
 * the same bundle in headless Chromium.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { knownAnswerTable } from '../src/kat.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('browser bundle of the pure backend (esbuild)', () => {
  it('bundles without node:* and passes every known answer', async () => {
    const result = await build({
      entryPoints: [join(root, 'browser', 'guomi-kat.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toContain('node:');
    const page = { title: '', text: '' };
    const context = vm.createContext({
      TextEncoder,
      crypto: globalThis.crypto,
      navigator: { userAgent: 'vm' },
      document: {
        set title(t: string) {
          page.title = t;
        },
        createElement: () => ({ id: '', textContent: '' }),
        body: { appendChild: (el: { textContent: string }) => (page.text = el.textContent) },
      },
    });
    vm.runInContext(code, context);
    expect(page.title).toBe(`guomi KAT: PASS ${knownAnswerTable().length}`);
  });
});
