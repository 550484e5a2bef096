/** `guomi compliance report`: the evidence an assessment (密评, GB/T 39786) needs on file. */
import { writeFileSync } from 'node:fs';
import { complianceReport, formatComplianceReport, type ComplianceReportFormat } from '../compliance.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, subcommand, type Command } from './common.js';

const FORMATS: ComplianceReportFormat[] = ['text', 'json', 'markdown'];

export const complianceCommand: Command = {
  name: 'compliance',
  summary: 'report algorithms, backend, CPU paths, self-test results and versions (for 密评)',
  help: `Usage: guomi compliance report [--format text|json|markdown] [--json] [--out FILE]

Run the known-answer self-tests on the active backend (GUOMI_BACKEND=auto|native|pure) and
print what an assessment of commercial cryptography (密评, GB/T 39786-2021) needs on file: the
algorithms and modes offered with their standards, the backend and the CPU paths in use, the
native addon file with its SM3 and SHA-256 fingerprints, the self-test results (and the startup
run under GUOMI_SELFTEST=startup), the random source and key-generation checks, and the versions
of guomi, Node.js and the OpenSSL inside Node.js.

Options:
  --format F   text (default), json or markdown
  --json       the same as --format json
  --out FILE   write the report to FILE instead of standard output
  -h, --help   show this help

Exit status: 0 if every self-test passed, 1 if one failed, 2 on bad usage.`,
  async run(argv) {
    const args = parse(argv, { format: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } });
    const [action, ...extra] = args.positionals;
    subcommand('compliance', action, ['report']);
    if (extra.length) throw new CliError(`unexpected argument '${extra[0]}'`);
    const asked = str(args, 'format');
    if (asked !== undefined && args.values['json'] === true && asked !== 'json') throw new CliError('give --format or --json, not both');
    const format = (args.values['json'] === true ? 'json' : (asked ?? 'text')) as ComplianceReportFormat;
    if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
    const report = complianceReport();
    const text = formatComplianceReport(report, format);
    const out = str(args, 'out');
    if (out === undefined || out === '-') process.stdout.write(text);
    else writeFileSync(out, text);
    return report.ok ? EXIT_OK : EXIT_FAILED;
  },
};
