export const USAGE = `Usage: npm run profiles -- <command> [options]

Commands:
  list                     every shipped device profile: kind, model, transport, channel count
  show <name|file> [--json]
                           the validated profile with defaults filled in and every register
                           (address in decimal and hex, function code, type, word order, scale,
                           offset, unit, range); --json prints it as JSON
  check <file>...          validate profile files (.json, .yaml, .yml); exit code 1 if any is invalid

Options:
  -h, --help               this help

Exit codes: 0 ok, 1 invalid profile, 2 usage error or unknown profile.`;
