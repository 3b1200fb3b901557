import type { CollectedHit, HitProduct } from './decode';
import { hasMarks, markHits, REQUIRED_ORDER_PARAMETERS, type HitMarks, type MarkedHit } from './hit-marks';

/** Interval at which the page polls `/hits.json` for new hits, in milliseconds. */
const POLL_INTERVAL_MS = 2000;

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Decoder problems that a mark already shows. They are left out of the problem list so that each problem
 * appears once.
 */
const PROBLEMS_SHOWN_AS_MARKS = new Set(['missing eid', ...REQUIRED_ORDER_PARAMETERS.map((name) => `missing ${name}`)]);

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d232a; background: #f6f7f9; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  header p { margin: 0 0 16px; color: #4a5560; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid #e3e6ea; }
  th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tr.marked td { background: #fff4f4; }
  tr.marked td:first-child { box-shadow: inset 4px 0 #d1242f; }
  code { font: 12px ui-monospace, monospace; }
  time, code, .products li { white-space: nowrap; }
  ul { margin: 0; padding-left: 16px; }
  .agent { font-size: 12px; color: #4a5560; min-width: 180px; max-width: 260px; }
  .mark { display: inline-block; margin: 0 4px 4px 0; padding: 1px 8px; border-radius: 10px;
    background: #d1242f; color: #fff; font-size: 12px; font-weight: 600; white-space: nowrap; }
  .ok { color: #1a7f37; font-weight: 600; }
  .empty { text-align: center; color: #4a5560; padding: 32px; }
`;

/**
 * Renders the collector's HTML page: every hit, newest first, with its decoded order, visitor and problems.
 * The page reloads itself when the number of hits changes.
 */
export function renderCollectorHtml(hits: ReadonlyArray<CollectedHit>): string {
  const marked = markHits(hits);
  const rows = [...marked].reverse().map(renderRow);
  const markedCount = marked.filter((hit) => hasMarks(hit.marks)).length;
  const summary = `${hits.length} ${hits.length === 1 ? 'hit' : 'hits'} received, newest first`
    + (markedCount > 0 ? `, ${markedCount} with problems` : '');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mapp collector: ${hits.length} ${hits.length === 1 ? 'hit' : 'hits'}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Local Mapp collector</h1>
<p>${summary}. The same list as JSON: <a href="/hits.json">/hits.json</a>.</p>
</header>
<table>
<thead><tr>
<th>Received (UTC)</th><th>Order ID</th><th>Value</th><th>Currency</th><th>Products</th>
<th>EID</th><th>IP</th><th>User agent</th><th>Problems</th>
</tr></thead>
<tbody>
${rows.length > 0 ? rows.join('\n') : '<tr><td colspan="9" class="empty">No hits received yet. This page reloads when one arrives.</td></tr>'}
</tbody>
</table>
<script>
setInterval(function () {
  fetch('/hits.json', { cache: 'no-store' })
    .then(function (response) { return response.json(); })
    .then(function (received) { if (received.length !== ${hits.length}) { location.reload(); } })
    .catch(function () { /* the collector stopped; keep showing what was received */ });
}, ${POLL_INTERVAL_MS});
</script>
</body>
</html>
`;
}

function renderRow(hit: MarkedHit): string {
  const received = new Date(hit.receivedAt).toISOString().replace('T', ' ').slice(0, 19);
  const cells = [
    `<td><time datetime="${new Date(hit.receivedAt).toISOString()}">${received}</time></td>`,
    `<td>${optionalCode(hit.order?.id)}</td>`,
    `<td class="number">${escapeHtml(hit.order?.value ?? '')}</td>`,
    `<td>${escapeHtml(hit.order?.currency ?? '')}</td>`,
    `<td class="products">${renderProducts(hit.products)}</td>`,
    `<td>${optionalCode(hit.eid)}</td>`,
    `<td>${optionalCode(hit.ip)}</td>`,
    `<td class="agent">${escapeHtml(hit.userAgent ?? '')}</td>`,
    `<td>${renderProblems(hit.marks, hit.problems)}</td>`,
  ];
  return `<tr${hasMarks(hit.marks) ? ' class="marked"' : ''}>${cells.join('')}</tr>`;
}

function renderProducts(products: readonly HitProduct[]): string {
  if (products.length === 0) {
    return '';
  }

  const items = products.map((product) => {
    const quantity = product.quantity === undefined ? '' : ` &times; ${escapeHtml(product.quantity)}`;
    const cost = product.cost === undefined ? '' : ` = ${escapeHtml(product.cost)}`;
    return `<li><code>${escapeHtml(product.id)}</code>${quantity}${cost}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function renderProblems(marks: HitMarks, problems: readonly string[]): string {
  const badges: string[] = [];
  if (marks.missingEid) {
    badges.push('no EID');
  }
  if (marks.duplicateOrderId) {
    badges.push('repeated order ID');
  }
  if (marks.missingParameters.length > 0) {
    badges.push(`missing ${marks.missingParameters.join(', ')}`);
  }

  const otherProblems = problems.filter((problem) => !PROBLEMS_SHOWN_AS_MARKS.has(problem));
  if (badges.length === 0 && otherProblems.length === 0) {
    return '<span class="ok">none</span>';
  }

  const badgeHtml = badges.map((badge) => `<span class="mark">${escapeHtml(badge)}</span>`).join('');
  const listHtml = otherProblems.length > 0
    ? `<ul>${otherProblems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul>`
    : '';
  return badgeHtml + listHtml;
}

function optionalCode(value: string | undefined): string {
  return value === undefined ? '' : `<code>${escapeHtml(value)}</code>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}
