/** `guomi selftest`: the known-answer tests on the active backend, with its CPU paths. */
import { selfTest } from '../selftest.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, type Command } from './common.js';

export const selftestCommand: Command = {
  name: 'selftest',
  summary: 'run the known-answer self-tests and show the backend and CPU paths',
  help: `Usage: guomi selftest [--json | --format text|json]

Run the known answers of every algorithm and mode on the active backend
(GUOMI_BACKEND=auto|native|pure) in the manner of the GM/T 0028 power-on self-tests, and print
the backend, the CPU features and the implementation used for each primitive. For the full
report an assessment needs on file, see guomi compliance report.

Options:
  --json        print the report as JSON (the same as --format json)
  --format F    text (default) or json
  -h, --help    show this help

Exit status: 0 if every known answer passed, 1 if one failed, 2 on bad usage.`,
  async run(argv) {
    const { values } = parse(argv, { json: { type: 'boolean' }, format: { type: 'string' } }, false);
    const format = values['format'];
    if (format !== undefined && format !== 'text' && format !== 'json') throw new CliError('--format must be text or json');
    if (format === 'text' && values['json'] === true) throw new CliError('give --format or --json, not both');
    const json = values['json'] === true || format === 'json';
    const report = selfTest();
    if (json) {
      console.log(JSON.stringify(report, null, 2));
      return report.ok ? EXIT_OK : EXIT_FAILED;
    }
    const b = report.backend;
    console.log(`backend: ${b.backend}${b.requested !== 'auto' ? ` (GUOMI_BACKEND=${b.requested})` : ''}`);
    if (b.fallbackReason) console.log(`  fallback: ${b.fallbackReason}`);
    if (b.cpu) {
      console.log(`cpu: ${b.cpu.arch}; features: ${b.cpu.detected.join(' ') || 'none'}`);
      if (b.cpu.disabled.length) console.log(`  switched off: ${b.cpu.disabled.join(' ')}`);
    }
    for (const [primitive, impl] of Object.entries(b.implementations)) {
      console.log(`  ${primitive.padEnd(6)} ${impl}`);
    }
    for (const r of report.results) {
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.algorithm.padEnd(16)} ${r.source}${r.error ? `\n     ${r.error}` : ''}`);
    }
    const failed = report.results.filter((r) => !r.ok).length;
    console.log(failed ? `${failed} of ${report.results.length} known answers FAILED` : `all ${report.results.length} known answers passed`);
    return report.ok ? EXIT_OK : EXIT_FAILED;
  },
};
