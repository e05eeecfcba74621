import { runReportCli } from '../quality/report-cli.js';
import {
  WQI_COLUMNS,
  WQI_CSV_HEADER,
  parseSamplesCsv,
  wqiCsvLine,
  wqiReport,
} from '../quality/wqi-report.js';

const usage = `usage: npm run wqi -- --file <samples.csv> [--json]
  CSV columns: time (ISO 8601 with offset), then any of
  ${WQI_COLUMNS.join(',')}
  (units in docs/air-water-indices.md); an empty cell is missing. Prints the VN_WQI of every sample
  (Decision 1460/QĐ-TCMT), as CSV, or JSON lines with --json.`;

process.exitCode = runReportCli(
  {
    name: 'wqi',
    usage,
    csvHeader: WQI_CSV_HEADER,
    build: (text) => wqiReport(parseSamplesCsv(text)),
    csvLine: wqiCsvLine,
    jsonLine: (l) => JSON.stringify(l),
  },
  process.argv.slice(2),
  process.stdout,
  process.stderr,
);
