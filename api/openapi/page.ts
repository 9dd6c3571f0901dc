// The API reference as one self-contained HTML page, rendered on the server from the OpenAPI
// document: no script and nothing from a CDN (the CSP allows neither), styles inline.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const pre = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

const STYLE = `
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2933;background:#f7f8fa;line-height:1.5}
header{background:#b71c1c;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.9}
main{max-width:1100px;margin:0 auto;padding:16px}nav a{margin-right:12px}
h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
.op{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:12px 0;padding:12px 16px}
.m{display:inline-block;min-width:56px;text-align:center;font-weight:700;border-radius:4px;padding:2px 6px;color:#fff;margin-right:8px}
.GET{background:#1565c0}.POST{background:#2e7d32}.PUT,.PATCH{background:#ef6c00}.DELETE{background:#c62828}
code.path{font-size:15px;word-break:break-all}.sec{font-size:12px;color:#555;margin-left:8px}
table{border-collapse:collapse;width:100%;margin:6px 0}td,th{border:1px solid #e1e4e8;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
pre{background:#f3f4f6;padding:8px;overflow:auto;font-size:12px;max-height:360px}summary{cursor:pointer;color:#1565c0}
.toc{columns:2 420px;column-gap:24px;background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 16px}
.toc h3{font-size:15px;margin:8px 0 4px;break-after:avoid}.toc ul{list-style:none;margin:0 0 8px;padding:0}
.toc li{font-size:13px;margin:2px 0;break-inside:avoid;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.toc .m{min-width:44px;font-size:11px;padding:0 4px;margin-right:6px}.toc code{font-size:12px}
.tagdesc{color:#555;margin:-4px 0 8px}.top{float:right;font-size:13px;font-weight:400}
`;

function schemaBrief(s: Json | undefined): string {
  if (!s) return '';
  if (s.enum) return s.enum.map((v: unknown) => esc(v)).join(' | ');
  const t = s.type ?? (s.anyOf ? s.anyOf.map((x: Json) => x.type ?? '').join('|') : '');
  return esc([t, s.format, s.default !== undefined ? `default ${JSON.stringify(s.default)}` : ''].filter(Boolean).join(', '));
}

function renderOperation(path: string, method: string, op: Json): string {
  const security = (op.security as Json[]).length === 0 ? '公开 public' : (op.security as Json[]).map((s) => Object.keys(s).join('+') || 'none').join(' or ');
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody?.content as Json | undefined;
  return `<section class="op" id="${esc(op.operationId)}">
<div><span class="m ${esc(method.toUpperCase())}">${esc(method.toUpperCase())}</span><code class="path">${esc(path)}</code><span class="sec">${esc(security)}</span></div>
<p><strong>${esc(op.summary)}</strong>${op.description ? `<br>${esc(op.description)}` : ''}</p>
${params.length ? `<table><tr><th>参数 parameter</th><th>in</th><th>必填</th><th>schema</th></tr>${params.map((p) => `<tr><td><code>${esc(p.name)}</code>${p.description ? `<br>${esc(p.description)}` : ''}</td><td>${esc(p.in)}</td><td>${p.required ? '是' : ''}</td><td>${schemaBrief(p.schema)}</td></tr>`).join('')}</table>` : ''}
${body ? Object.entries(body).map(([type, b]) => `<details><summary>请求体 request body: ${esc(type)}</summary>${pre((b as Json).schema)}</details>`).join('') : ''}
<table><tr><th>状态 status</th><th>说明</th></tr>${Object.entries(op.responses as Json).map(([status, r]) => `<tr><td>${esc(status)}</td><td>${esc((r as Json).description)}${(r as Json).content ? Object.entries((r as Json).content).map(([type, c]) => `<details><summary>${esc(type)}</summary>${pre((c as Json).schema)}</details>`).join('') : ''}</td></tr>`).join('')}</table>
</section>`;
}

/** the contents: every operation of a tag on one line (method, path, summary), linked to its section */
function renderContents(byTag: Map<string, { path: string; method: string; op: Json }[]>): string {
  return `<div class="toc">${[...byTag].map(([tag, ops]) => `<h3><a href="#tag-${esc(anchor(tag))}">${esc(tag)}</a> (${ops.length})</h3><ul>${ops
    .map(({ path, method, op }) => `<li><span class="m ${esc(method.toUpperCase())}">${esc(method.toUpperCase())}</span><a href="#${esc(op.operationId)}" title="${esc(op.summary)}"><code>${esc(path)}</code></a> ${esc(op.summary)}</li>`)
    .join('')}</ul>`).join('')}</div>`;
}

/** a tag's anchor: its name without spaces */
const anchor = (tag: string) => tag.replace(/\s+/g, '-');

export function renderDocsPage(doc: Json): string {
  const byTag = new Map<string, { path: string; method: string; op: Json }[]>();
  for (const [path, ops] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const tag = (op as Json).tags?.[0] ?? '其他';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op: op as Json }]);
    }
  }
  const tagDescriptions = new Map(((doc.tags ?? []) as Json[]).map((t) => [t.name as string, t.description as string | undefined]));
  const operations = [...byTag.values()].reduce((n, ops) => n + ops.length, 0);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} · API 文档</title><style>${STYLE}</style></head><body>
<header id="top"><h1>${esc(doc.info.title)} · API 文档</h1><p>OpenAPI ${esc(doc.openapi)} · ${operations} 个接口 operations · <a style="color:#fff" href="/api/docs/openapi.json">openapi.json</a></p></header>
<main><p>${esc(doc.info.description)}</p><nav>${[...byTag.keys()].map((t) => `<a href="#tag-${esc(anchor(t))}">${esc(t)}</a>`).join('')}</nav>
<h2>目录 Contents</h2>${renderContents(byTag)}
${[...byTag].map(([tag, ops]) => `<h2 id="tag-${esc(anchor(tag))}">${esc(tag)}<a class="top" href="#top">↑ 目录</a></h2>${tagDescriptions.get(tag) ? `<p class="tagdesc">${esc(tagDescriptions.get(tag))}</p>` : ''}${ops.map((o) => renderOperation(o.path, o.method, o.op)).join('\n')}`).join('\n')}
</main></body></html>`;
}
