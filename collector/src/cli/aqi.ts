import { AQI_CSV_HEADER, aqiCsvLine, aqiJsonLine, aqiReport, parseHourlyCsv } from '../quality/aqi-report.js';
import { runReportCli } from '../quality/report-cli.js';

const usage = `usage: npm run aqi -- --file <hourly.csv> [--json]
  CSV columns: time (ISO 8601 with offset, start of the hour), then any of pm25,pm10,o3,co,so2,no2 in µg/m³;
  an empty cell is missing. Prints the hourly VN_AQI of every hour and the daily VN_AQI of every
  Asia/Ho_Chi_Minh calendar day (Decision 1459/QĐ-TCMT), as CSV, or JSON lines with --json.`;

process.exitCode = runReportCli(
  {
    name: 'aqi',
    usage,
    csvHeader: AQI_CSV_HEADER,
    build: (text) => aqiReport(parseHourlyCsv(text)),
    csvLine: aqiCsvLine,
    jsonLine: aqiJsonLine,
  },
  process.argv.slice(2),
  process.stdout,
  process.stderr,
);
