/**
 * HTML helpers shared by the cashier and the dashboard: escaping and one page shell with
 * inline CSS (no external assets, allowed by the CSP through its hash), visible focus rings and
 * a readable type scale.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** Escape text for HTML element content and double-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6474;--bg:#f4f6fa;--card:#fff;--accent:#1677ff;--accent-d:#0b5bd3;--danger:#c0392b;--ok:#1e8449;--warn:#b9770e;--line:#dfe3ea}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg)}
header.bar{background:var(--accent);color:#fff;padding:.75rem 1.5rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header.bar strong{font-size:1.1rem}
header.bar span{opacity:.9;font-size:.9rem}
main{max-width:1200px;margin:1.5rem auto;padding:0 1rem}
main.narrow{max-width:560px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.25rem 1.5rem;margin-bottom:1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:500;word-break:break-word}
.amount{font-size:1.6rem;font-weight:700}
.cny{color:var(--muted)}
.actions{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}
.actions form{margin:0}
button,.button{display:inline-block;width:100%;font:inherit;font-weight:600;padding:.75rem 1rem;border-radius:8px;border:2px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-align:center;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:#fff;color:var(--danger);border-color:var(--danger)}
button.small{width:auto;padding:.35rem .75rem;font-size:.9rem}
button:hover{background:var(--accent-d);border-color:var(--accent-d);color:#fff}
button.danger:hover{background:var(--danger);color:#fff}
a{color:var(--accent-d)}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
.table-scroll{overflow-x:auto}
th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f3f8;font-weight:600;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#e8ecf3;color:var(--fg)}
.badge.ok{background:#d5f2e0;color:var(--ok)}
.badge.bad{background:#f9dcd8;color:var(--danger)}
.badge.warn{background:#fcefd2;color:var(--warn)}
.error-code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.3rem;font-weight:700;color:var(--danger)}
.muted{color:var(--muted)}
.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
details summary{cursor:pointer}
pre{white-space:pre-wrap;word-break:break-all;margin:.25rem 0;background:#f7f8fb;padding:.4rem;border-radius:6px}
caption{text-align:left;padding-bottom:.25rem}
.sub{display:block;font-size:.8rem;color:var(--muted);font-weight:400}
td.id,td.url{word-break:break-all;min-width:9rem}
td.id{min-width:13rem}
td.num,td.nowrap{white-space:nowrap}
td.text{min-width:8rem;max-width:16rem;overflow-wrap:anywhere}
td.time{min-width:10rem}
.notice{margin:0 0 1rem;padding:.75rem 1rem;border-radius:8px;border:1px solid #a9dfbf;background:#e9f7ef;color:var(--ok);font-weight:600}
.notice.bad{border-color:#f1b0a7;background:#fdecea;color:var(--danger)}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(22rem,100%),1fr));gap:.5rem 1.5rem;align-items:center}
.field{display:flex;gap:.5rem;align-items:center;justify-content:space-between}
.field.check{justify-content:flex-start}
.field select{max-width:14rem}
ul.faults{list-style:none;padding:0;margin:.5rem 0}
li.fault{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.4rem 0;border-bottom:1px solid var(--line)}
@media (max-width:480px){.amount{font-size:1.35rem}.card{padding:1rem}}
.amount{white-space:nowrap}
#active-faults{margin-bottom:1.25rem;padding-bottom:1rem;border-bottom:1px solid var(--line)}
details.sent{margin-top:1.25rem;font-size:.9rem}
details.sent dl{margin-top:.5rem}
input.w-num{width:7rem}
input.w-wide{width:16rem;max-width:100%}
`;

/** The CSP source for the one inline stylesheet (`'sha256-…'`): pages need no `'unsafe-inline'`. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}`;

/** Wrap a body in the shared page shell. `title` is escaped; `body` is trusted HTML. */
export function page(
  title: string,
  body: string,
  options: { subtitle?: string; narrow?: boolean; lang?: string } = {},
): string {
  return `<!doctype html>
<html lang="${esc(options.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${CSS}</style>
</head>
<body>
<header class="bar"><strong>Alipay sandbox</strong><span>${esc(options.subtitle ?? 'alipay-kit local gateway: no real money moves here')}</span></header>
<main${options.narrow ? ' class="narrow"' : ''}>
${body}
</main>
</body>
</html>`;
}
