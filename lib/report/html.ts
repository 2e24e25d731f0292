/**
 * The HTML around the charts: one small stylesheet, a nav bar, headings, figures, tables.
 * Pure string building; every piece of text from a run goes through `escapeHtml`.
 */

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** JSON that can sit inside a <script> element (no `</script>` or `<!--` can close it early). */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c')

export const css = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b62c4; --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
nav.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: nowrap; overflow-x: auto; gap: .15rem .9rem; align-items: baseline; padding: .6rem 1.5rem; white-space: nowrap; background: var(--soft); border-bottom: 1px solid var(--line); font-size: .92rem; }
nav.top a { color: var(--ink); text-decoration: none; padding: .1rem 0; border-bottom: 2px solid transparent; }
nav.top a:hover { border-bottom-color: var(--line); }
nav.top a.current { border-bottom-color: var(--accent); font-weight: 600; }
nav.top a.home { font-weight: 700; margin-right: .6rem; }
nav.top .group { color: var(--muted); margin-left: .6rem; }
main { max-width: 1180px; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .6rem 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .3rem; padding-top: .6rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
p { margin: .4rem 0 .8rem; max-width: 78ch; }
p.lead { font-size: 1.05rem; color: var(--muted); }
p.look { border-left: 3px solid var(--accent); padding: .1rem 0 .1rem .8rem; }
.headline { font-weight: 600; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: .05em .3em; border-radius: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 1rem 1.5rem; align-items: start; }
.grid > * { min-width: 0; }
figure.chart { margin: .6rem 0 1rem; min-width: 0; }
figure.chart .view { overflow-x: auto; max-width: 100%; }
figure.chart svg { display: block; }
.chart-tooltip { position: fixed; z-index: 10; pointer-events: none; white-space: pre; max-width: 90vw; overflow: hidden; padding: .35rem .55rem; background: #fff; border: 1px solid var(--line); border-radius: 4px; box-shadow: 0 2px 6px #0002; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--ink); }
.table-wrap { overflow-x: auto; max-width: 100%; margin: .6rem 0 1.2rem; }
.table-wrap table { margin: 0; }
figcaption { font-size: .88rem; color: var(--muted); margin-top: .3rem; max-width: 78ch; }
.missing { margin: .6rem 0 1rem; padding: .7rem .9rem; background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 6px; font-size: .93rem; }
table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .92rem; }
th, td { padding: .35rem .7rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.samples { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; max-width: 30ch; }
.kind { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; color: var(--bad); white-space: nowrap; }
.healthy { color: var(--good); font-weight: 600; }
ul.pages { list-style: none; padding: 0; }
ul.pages li { margin: 0 0 1rem; padding: .7rem .9rem; border: 1px solid var(--line); border-radius: 8px; }
ul.pages a { font-weight: 600; font-size: 1.05rem; }
ul.pages .headline { display: block; font-weight: 400; color: var(--muted); }
.interactive { margin: 1rem 0; }
.interactive .controls { margin: .4rem 0 .8rem; padding: .5rem .8rem; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 1.05rem; display: inline-block; }
.interactive .vega-bind { display: inline-block; }
.interactive .vega-bind-name { font-weight: 600; margin-right: .5rem; }
.interactive input[type=range] { width: 320px; vertical-align: middle; }
@media (max-width: 640px) {
  nav.top { padding: .5rem .8rem; }
  main { padding: .8rem .8rem 2rem; }
  h1 { font-size: 1.35rem; }
  .interactive input[type=range] { width: 200px; }
}
nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 2rem 0 0; font-size: .95rem; }
nav.toc { margin: .6rem 0 1rem; padding: .5rem .9rem; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: .92rem; }
nav.toc ol { margin: .2rem 0; padding-left: 1.3rem; }
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }
`

export interface NavEntry {
  /** The link, relative to the page that shows it. */
  readonly file: string
  /** The short name in the nav bar. */
  readonly nav: string
  /** Kata pages sit after the lecture's pages, under their own label. */
  readonly kata?: boolean
}

/** The table of contents of a page with three sections or more: its h2 headings, linked by id. */
export const tableOfContents = (body: string): string => {
  const heads = [...body.matchAll(/<h2 id="([^"]+)">([^<]*)<\/h2>/g)]
  if (heads.length < 3) return ''
  return `<nav class="toc" aria-label="On this page"><strong>On this page</strong><ol>${heads.map((h) => `<li><a href="#${h[1]}">${h[2]}</a></li>`).join('')}</ol></nav>`
}

/** Links to the page before and after `file` in the nav's order. */
export const pager = (file: string, nav: readonly NavEntry[]): string => {
  const i = nav.findIndex((n) => n.file === file)
  if (i < 0) return ''
  const prev = nav[i - 1],
    next = nav[i + 1]
  const link = (n: NavEntry | undefined, rel: string, arrow: string) =>
    n === undefined ? '<span></span>' : `<a rel="${rel}" href="${escapeHtml(n.file)}">${arrow} ${escapeHtml(n.nav)}</a>`
  return `<nav class="pager" aria-label="Previous and next page">${link(prev, 'prev', '←')}${link(next, 'next', '→').replace(/→ (.*)<\/a>$/, '$1 →</a>')}</nav>`
}

export interface Layout {
  readonly file: string
  readonly title: string
  readonly nav: readonly NavEntry[]
  /** The page's content, already HTML. */
  readonly body: string
  readonly footer: string
  /** Extra elements at the end of <body> (the interactive page's runtime). */
  readonly scripts?: string
  /** The link of the site's home (the report's index). */
  readonly home?: string
  /** Rules added to the shared stylesheet (the lab's controls). */
  readonly css?: string
}

/** A whole page: head with the shared stylesheet, the nav bar, a table of contents, the content, prev/next, a footer. */
export const layout = ({
  file,
  title,
  nav,
  body,
  footer,
  scripts = '',
  home = 'index.html',
  css: extra = '',
}: Layout): string => {
  const links = nav
    .map(
      (n, i) =>
        `${n.kata === true && nav[i - 1]?.kata !== true ? '<span class="group">Katas:</span>\n' : ''}<a href="${escapeHtml(n.file)}"${n.file === file ? ' class="current" aria-current="page"' : ''}>${escapeHtml(n.nav)}</a>`,
    )
    .join('\n')
  const toc = tableOfContents(body)
  const content = toc === '' ? body : body.replace(/(<p class="headline">[\s\S]*?<\/p>)/, `$1\n${toc}`)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}${extra}</style>
</head>
<body>
<nav class="top"><a class="home${file === home ? ' current' : ''}" href="${escapeHtml(home)}">Neural network dynamics</a>
${links}
</nav>
<main>
${content.includes(toc) ? content : `${toc}\n${content}`}
${pager(file, nav)}
<footer>${footer}</footer>
</main>
${scripts}
</body>
</html>
`
}

/** A table from a header row and body rows of cells (already HTML); `numeric` columns align right. */
export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string => {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '')
  return `<div class="table-wrap"><table>
<thead><tr>${header.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table></div>`
}
