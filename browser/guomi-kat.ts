/**
 * The known-answer self-tests of guomi (src/kat.ts) on the pure-TypeScript backend, in a web
 * page. .ci/package.sh bundles this file with esbuild for the browser (which fails if anything
 * in it imports node:*) and loads the page in headless Chromium; the page writes its results
 * into <pre id="guomi-kat"> and its title ("guomi KAT: PASS n" or "guomi KAT: FAIL …").
 */
import { pureBackend } from '../src/backend/pure.js';
import { runKnownAnswers } from '../src/kat.js';

function report(): void {
  let title: string;
  let body: string;
  try {
    const results = runKnownAnswers(pureBackend);
    const failed = results.filter((r) => !r.ok);
    title = failed.length ? `guomi KAT: FAIL ${failed.map((r) => r.algorithm).join(', ')}` : `guomi KAT: PASS ${results.length}`;
    body = JSON.stringify({ userAgent: navigator.userAgent, results }, null, 2);
  } catch (err) {
    title = `guomi KAT: FAIL ${err instanceof Error ? err.message : String(err)}`;
    body = String(err instanceof Error ? err.stack : err);
  }
  document.title = title;
  const pre = document.createElement('pre');
  pre.id = 'guomi-kat';
  pre.textContent = `${title}\n${body}`;
  document.body.appendChild(pre);
}

report();
