/**
 * Compiles src/ to dist/ once before the suites run, so that the CLI and packaging tests, which
 * run the compiled code in child processes, never test a stale build.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  // tsc emits even when it reports type errors; those fail the separate typecheck step, so here
  // they are printed but do not stop the suites that do not depend on the broken file.
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) console.warn(`tsc reported errors while building dist/:\n${r.stdout}${r.stderr}`);
}
