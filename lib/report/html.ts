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
nav.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .15rem .9rem; align-items: baseline; padding: .6rem 1.5rem; background: var(--soft); border-bottom: 1px solid var(--line); font-size: .92rem; }
nav.top a { color: var(--ink); text-decoration: none; padding: .1rem 0; border-bottom: 2px solid transparent; }
nav.top a:hover { border-bottom-color: var(--line); }
nav.top a.current { border-bottom-color: var(--accent); font-weight: 600; }
nav.top a.home { font-weight: 700; margin-right: .6rem; }
main { max-width: 1180px; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .6rem 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .3rem; padding-top: .6rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
p { margin: .4rem 0 .8rem; max-width: 78ch; }
p.lead { font-size: 1.05rem; color: var(--muted); }
p.look { border-left: 3px solid var(--accent); padding: .1rem 0 .1rem .8rem; }
.headline { font-weight: 600; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: .05em .3em; border-radius: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1rem 1.5rem; align-items: start; }
figure.chart { margin: .6rem 0 1rem; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
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
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }
`

export interface NavEntry {
  readonly file: string
  /** The short name in the nav bar. */
  readonly nav: string
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
}

/** A whole page: head with the shared stylesheet, the nav bar, the content, a footer. */
export const layout = ({ file, title, nav, body, footer, scripts = '' }: Layout): string => {
  const links = nav
    .map(
      (n) =>
        `<a href="${escapeHtml(n.file)}"${n.file === file ? ' class="current" aria-current="page"' : ''}>${escapeHtml(n.nav)}</a>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<nav class="top"><a class="home${file === 'index.html' ? ' current' : ''}" href="index.html">Neural network dynamics</a>
${links}
</nav>
<main>
${body}
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
  return `<table>
<thead><tr>${header.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>`
}
