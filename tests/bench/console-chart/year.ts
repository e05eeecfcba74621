import { startYearChart } from '../../integration/console-environment/year-chart.js';
/**
 * A year of 5-minute data for one station (105,120 points per field) written into the embedded store, then
 * charted in headless Chromium through the real API and page: click on "Năm" (year) → series request →
 * uPlot drawn. Baseline in the same run: the same series request alone from Node.
 *   npx tsx tests/bench/console-chart/year.ts [--runs 7]
 */
import { intArg, parseArgs } from '../broker/bench-args.js';

const BUDGET_MS = 500;
const args = parseArgs(process.argv.slice(2));
const runs = intArg(args, 'runs', 7);

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { median: Math.round(at(0.5)), min: Math.round(sorted[0] ?? Number.NaN), max: Math.round(at(1)) };
}

const run = await startYearChart(300_000);
try {
  console.log(
    JSON.stringify({
      bench: 'console-chart-year',
      stage: 'setup',
      pointsPerField: run.written,
      writeMs: Math.round(run.writeMs),
    }),
  );
  const api: number[] = [];
  const chart: number[] = [];
  let points = 0;
  let bytes = 0;
  // One warm-up of each: the first request also compiles the page's chunk and warms SQLite's cache.
  await run.apiYear();
  await run.chartYear();
  for (let i = 0; i < runs; i++) {
    const a = await run.apiYear();
    api.push(a.ms);
    bytes = a.bytes;
    const c = await run.chartYear();
    chart.push(c.ms);
    points = c.points;
  }
  const apiStats = stats(api);
  const chartStats = stats(chart);
  console.log(
    JSON.stringify({
      bench: 'console-chart-year',
      stage: 'baseline',
      what: 'GET series (year, maxPoints 2000) from Node',
      runs,
      ...apiStats,
      bytes,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'console-chart-year',
      stage: 'chart',
      what: 'click Năm → request → uPlot drawn (Chromium)',
      runs,
      ...chartStats,
      points,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'console-chart-year',
      stage: 'verdict',
      budgetMs: BUDGET_MS,
      medianMs: chartStats.median,
      overBaselineMs: chartStats.median - apiStats.median,
      pass: chartStats.median < BUDGET_MS,
    }),
  );
} finally {
  await run.close();
}
