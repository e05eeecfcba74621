import type { BroadcastLog, ReportTotals } from './broadcast-log.js';
import { rowCells, totalCells } from './csv.js';
import { COLUMN_LABELS, TOTAL_LABELS } from './labels.js';
import { formatDate, formatDateTime, isoToDisplayDate } from './local-time.js';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function row(cells: string[], tag: 'td' | 'th' = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
}

function totalsTable(
  caption: string,
  first: string,
  items: ReportTotals[],
  label: (t: ReportTotals) => string,
) {
  return `<table class="totals"><caption>${escapeHtml(caption)}</caption>
<thead>${row([first, ...TOTAL_LABELS], 'th')}</thead>
<tbody>${items.map((t) => row([label(t), ...totalCells(t)])).join('\n')}</tbody></table>`;
}

const STYLE = `
body{font-family:"Times New Roman",serif;font-size:12pt;margin:1.5cm;color:#000}
header{text-align:center;margin-bottom:1em}
h1{font-size:15pt;text-transform:uppercase;margin:.3em 0}
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:10pt}
th,td{border:1px solid #000;padding:2px 4px;vertical-align:top}
th{background:#eee}
caption{font-weight:bold;text-align:left;margin:.5em 0}
.signatures{display:flex;justify-content:space-between;margin-top:2em;text-align:center}
.signatures div{width:45%}
.empty{font-style:italic}
@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}button{display:none}}
@page{size:A4 landscape;margin:1.5cm}`;

/**
 * A self-contained page a commune prints for its periodic report on grassroots radio activity
 * (Circular 39/2020/TT-BTTTT): the log, totals per cluster and per day, and signature blocks.
 */
export function broadcastLogHtml(log: BroadcastLog): string {
  const period = `Từ ngày ${formatDate(log.from)} đến ngày ${formatDate(log.to - 1)}`;
  const body =
    log.rows.length === 0
      ? `<p class="empty">Không có lượt phát nào trong kỳ báo cáo.</p>`
      : `<table class="log"><caption>Chi tiết các lượt phát</caption>
<thead>${row([...COLUMN_LABELS].slice(0, 14), 'th')}</thead>
<tbody>${log.rows.map((r) => row(rowCells(r).slice(0, 14))).join('\n')}</tbody></table>`;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Nhật ký phát thanh – ${log.areaName}`)}</title>
<style>${STYLE}</style></head>
<body>
<header>
<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<h1>Báo cáo hoạt động đài truyền thanh cơ sở</h1>
<p><strong>${escapeHtml(log.areaName)}</strong><br>${escapeHtml(period)}</p>
</header>
<button type="button" onclick="window.print()">In báo cáo</button>
${totalsTable('Tổng hợp theo cụm loa', 'Cụm loa', log.perCluster, (t) => `${t.label} (${t.key})`)}
${totalsTable('Tổng hợp theo ngày', 'Ngày', [...log.perDay, log.total], (t) => (t.key === 'total' ? t.label : isoToDisplayDate(t.key)))}
${body}
<p>Lập lúc ${escapeHtml(formatDateTime(log.generatedAt))} (giờ Việt Nam).</p>
<section class="signatures"><div><strong>Người lập báo cáo</strong><br>(Ký, ghi rõ họ tên)</div>
<div><strong>Lãnh đạo UBND cấp xã</strong><br>(Ký tên, đóng dấu)</div></section>
</body></html>
`;
}
