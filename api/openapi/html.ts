/**
 * /docs: the OpenAPI document as one self-contained HTML page, rendered on the server. No
 * scripts, no fonts, no CDN (the product works offline, and helmet's CSP allows inline styles
 * only): operations by tag with their parameters, bodies and responses as JSON Schema.
 */
import type { OpenApiDocument } from './document';

type Json = unknown;
type Obj = Record<string, Json>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pretty JSON with each `$ref` turned into a link to the component on this page. */
function schemaBlock(schema: Json): string {
  const text = esc(JSON.stringify(schema, null, 2));
  return `<pre>${text.replace(/&quot;#\/components\/schemas\/([A-Za-z0-9._-]+)&quot;/g, (_m, name: string) => `&quot;<a href="#schema-${anchor(name)}">#/components/schemas/${esc(name)}</a>&quot;`)}</pre>`;
}

function shortType(schema: Json): string {
  if (!isObj(schema)) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? '';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const parts = [Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any')];
  if (typeof schema.format === 'string') parts.push(`(${schema.format})`);
  if (typeof schema.pattern === 'string') parts.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${String(schema.minimum ?? '')}..${String(schema.maximum ?? '')}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) parts.push(`length ${String(schema.minLength ?? 0)}..${String(schema.maxLength ?? '')}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(' ');
}

function content(c: Json): string {
  if (!isObj(c)) return '';
  return Object.entries(c)
    .map(([media, m]) => `<details><summary><code>${esc(media)}</code></summary>${isObj(m) ? schemaBlock(m.schema ?? {}) : ''}</details>`)
    .join('');
}

function operation(method: string, path: string, op: Obj, globalSecurity: Json): string {
  const security = (op.security ?? globalSecurity) as Json[];
  const open = Array.isArray(security) && security.length === 0;
  const params = Array.isArray(op.parameters) ? (op.parameters as Obj[]) : [];
  const paramRows = params
    .map((p) => `<tr><td><code>${esc(String(p.name))}</code></td><td>${esc(String(p.in))}</td><td>${p.required ? 'yes' : ''}</td><td><code>${esc(shortType(p.schema))}</code></td><td>${esc(String(p.description ?? ''))}</td></tr>`)
    .join('');
  const body = isObj(op.requestBody) ? `<h4>Body${op.requestBody.required ? ' (required)' : ''}</h4>${content(op.requestBody.content)}` : '';
  const responses = isObj(op.responses)
    ? Object.entries(op.responses)
        .map(([status, r]) => `<tr><td><b>${esc(status)}</b></td><td>${esc(String(isObj(r) ? (r.description ?? '') : ''))}${isObj(r) ? content(r.content) : ''}</td></tr>`)
        .join('')
    : '';
  return `<section class="op" id="${anchor(String(op.operationId ?? `${method}${path}`))}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> ${open ? '<span class="pub">public</span>' : '<span class="key">API key</span>'}</h3>
<p>${esc(String(op.summary ?? ''))}</p>${op.description ? `<p class="d">${esc(String(op.description))}</p>` : ''}
${paramRows ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${paramRows}</table>` : ''}
${body}<h4>Responses</h4><table>${responses}</table></section>`;
}

export function renderDocsHtml(doc: OpenApiDocument): string {
  const d = doc as unknown as Obj;
  const info = (d.info ?? {}) as Obj;
  const paths = (d.paths ?? {}) as Record<string, Obj>;
  const tags = ((d.tags ?? []) as Obj[]).map((t) => String(t.name));
  const byTag = new Map<string, string[]>(tags.map((t) => [t, []]));
  const toc = new Map<string, string[]>(tags.map((t) => [t, []]));
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'Other';
      if (!byTag.has(tag)) {
        byTag.set(tag, []);
        toc.set(tag, []);
      }
      byTag.get(tag)!.push(operation(method, path, op, d.security));
      toc.get(tag)!.push(`<li><a href="#${anchor(String(op.operationId ?? `${method}${path}`))}"><span class="m ${method}">${method.toUpperCase()}</span> ${esc(path)}</a></li>`);
    }
  }
  const schemas = isObj(d.components) && isObj(d.components.schemas) ? d.components.schemas : {};
  const schemaSections = Object.entries(schemas)
    .map(([name, s]) => `<section id="schema-${anchor(name)}"><h3>${esc(name)}</h3>${schemaBlock(s)}</section>`)
    .join('');
  const schemes = isObj(d.components) && isObj(d.components.securitySchemes) ? d.components.securitySchemes : {};
  const schemeList = Object.entries(schemes)
    .map(([name, s]) => `<li><code>${esc(name)}</code>: ${esc(String(isObj(s) ? (s.description ?? '') : ''))}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(String(info.title ?? 'API'))} — API documentation</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 2rem;color:#1d2430}
h1{margin-bottom:.2rem} h2{border-bottom:2px solid #d0d7e2;padding-bottom:.2rem;margin-top:2.5rem}
.op{border:1px solid #d0d7e2;border-radius:6px;padding:.2rem 1rem .8rem;margin:1rem 0;background:#fbfcfe}
.op h3{font-size:1.05rem} .d{color:#4a5568} code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.m{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;color:#fff;font:bold 12px ui-monospace,monospace;padding:2px 4px}
.get{background:#2b6cb0}.post{background:#2f855a}.put{background:#b7791f}.delete{background:#c53030}.patch{background:#6b46c1}
.pub,.key{font-size:11px;border-radius:3px;padding:1px 5px;margin-left:.4rem;vertical-align:middle}.pub{background:#e6fffa;color:#234e52}.key{background:#fefcbf;color:#744210}
table{border-collapse:collapse;width:100%;margin:.3rem 0} td,th{border:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
pre{background:#f4f6fa;border:1px solid #e2e8f0;padding:.6rem;overflow:auto;max-height:32rem;font-size:12px}
summary{cursor:pointer;margin:.2rem 0} ul.toc{columns:2;list-style:none;padding-left:0} ul.toc li{margin:.1rem 0} a{color:#2b6cb0;text-decoration:none}
</style></head><body>
<h1>${esc(String(info.title ?? 'API'))} <small>${esc(String(info.version ?? ''))}</small></h1>
<p>OpenAPI ${esc(String(d.openapi ?? ''))} — the machine-readable document is at <a href="/openapi.json"><code>/openapi.json</code></a>.</p>
<pre class="intro">${esc(String(info.description ?? ''))}</pre>
<h2>Authentication</h2><ul>${schemeList}</ul>
<h2>Operations</h2>
${[...toc].filter(([, items]) => items.length > 0).map(([tag, items]) => `<h4>${esc(tag)}</h4><ul class="toc">${items.join('')}</ul>`).join('\n')}
${[...byTag].filter(([, ops]) => ops.length > 0).map(([tag, ops]) => `<h2 id="tag-${anchor(tag)}">${esc(tag)}</h2>${ops.join('\n')}`).join('\n')}
<h2>Schemas</h2>${schemaSections}
</body></html>`;
}
