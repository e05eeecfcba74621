import { escapeHtml } from '../reports/html.js';
import { formatDate, formatDateTime } from '../reports/local-time.js';
import { channelOf } from './channels.js';
import { AVERAGING_VI, exceedanceLimitText } from './csv.js';
import type { EnvironmentSummary } from './summary-report.js';
import type { StationSummary } from './summary.js';

const STYLE = `
body{font-family:"Times New Roman",serif;font-size:12pt;margin:1.5cm;color:#000}
header{text-align:center;margin-bottom:1em}
h1{font-size:15pt;text-transform:uppercase;margin:.3em 0}
h2{font-size:13pt;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:10pt}
th,td{border:1px solid #000;padding:2px 4px;vertical-align:top}
th{background:#eee}
caption{font-weight:bold;text-align:left;margin:.5em 0}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #000;margin-right:.3em;vertical-align:middle}
.signatures{display:flex;justify-content:space-between;margin-top:2em;text-align:center}
.signatures div{width:45%}
.empty{font-style:italic}
@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}button{display:none}}
@page{size:A4 portrait;margin:1.5cm}`;

function row(cells: string[], tag: 'td' | 'th' = 'td'): string {
  return `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
}

function stationSection(st: StationSummary): string {
  const indexName = st.index === 'aqi' ? 'VN_AQI' : 'VN_WQI';
  const daily = st.daily
    .map((d) => {
      const swatch = d.colour
        ? `<span class="swatch" style="background:${escapeHtml(d.colour)}"></span>`
        : '';
      const level = d.category ? `${swatch}${escapeHtml(d.category)}` : escapeHtml(d.reason ?? '');
      return `<tr><td>${escapeHtml(d.date.split('-').reverse().join('/'))}</td><td>${d.value ?? '—'}</td><td>${level}</td></tr>`;
    })
    .join('\n');
  const exceed = st.exceedances
    .map((e) =>
      row([
        channelOf(st.kind, e.parameter)?.nameVi ?? e.parameter,
        e.unit,
        `${e.standard} (${AVERAGING_VI[e.averaging] ?? e.averaging})`,
        exceedanceLimitText(e),
        String(e.hours),
        String(e.hoursWithData),
      ]),
    )
    .join('\n');
  const c = st.completeness;
  return `<h2>${escapeHtml(`${st.name} (${st.id})`)}</h2>
<p>Dữ liệu đầy đủ: ${c.hoursWithData}/${c.expectedHours} giờ (${c.percent}%).</p>
<table><caption>${indexName} theo ngày</caption><thead>${row(['Ngày', indexName, 'Mức'], 'th')}</thead>
<tbody>${daily}</tbody></table>
<table><caption>Số giờ vượt quy chuẩn (trung bình giờ so với giới hạn)</caption>
<thead>${row(['Thông số', 'Đơn vị', 'Quy chuẩn', 'Giới hạn', 'Số giờ vượt', 'Số giờ có dữ liệu'], 'th')}</thead>
<tbody>${exceed}</tbody></table>`;
}

/** A printable Vietnamese report of one area's stations over a period, with signature blocks. */
export function summaryHtml(s: EnvironmentSummary): string {
  const period = `Từ ngày ${formatDate(s.from)} đến ngày ${formatDate(s.to - 1)}`;
  const body =
    s.stations.length === 0
      ? '<p class="empty">Không có trạm quan trắc nào trong địa bàn.</p>'
      : s.stations.map(stationSection).join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Báo cáo quan trắc môi trường – ${s.areaName}`)}</title>
<style>${STYLE}</style></head>
<body>
<header>
<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<h1>Báo cáo tổng hợp quan trắc môi trường</h1>
<p><strong>${escapeHtml(s.areaName)}</strong><br>${escapeHtml(period)}</p>
</header>
<button type="button" onclick="window.print()">In báo cáo</button>
${body}
<p>Lập lúc ${escapeHtml(formatDateTime(s.generatedAt))} (giờ Việt Nam). Chỉ số VN_AQI theo Quyết định 1459/QĐ-TCMT,
VN_WQI theo Quyết định 1460/QĐ-TCMT; giới hạn theo QCVN 05:2023/BTNMT và QCVN 08:2023/BTNMT.</p>
<section class="signatures"><div><strong>Người lập báo cáo</strong><br>(Ký, ghi rõ họ tên)</div>
<div><strong>Thủ trưởng đơn vị</strong><br>(Ký tên, đóng dấu)</div></section>
</body></html>
`;
}
