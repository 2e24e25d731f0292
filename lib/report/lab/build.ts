/**
 * Builds reports/lab.html: one self-contained file holding the page script (with vega), the
 * charts' layouts (compiled by vega-lite here, once), the training worker's script (the engine,
 * model and instruments of lib/) and the names corpus, bundled by esbuild for the browser, in
 * the site's layout and nav. Nothing is fetched when the page opens.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as esbuild from 'esbuild'
import { compile } from 'vega-lite'
import { escapeHtml, layout, type NavEntry } from '../html.ts'
import { gains } from '../../model/init.ts'
import { LIMITS } from '../../model/configure.ts'
import { labLayouts } from './charts.ts'

const here = import.meta.dirname
const root = resolve(here, '../../..')

/** The built-in corpus the lab trains on. */
const NAMES = resolve(root, 'data/names.txt')

/** What a bundle is made of: node: modules reached and stubbed, and the bundle's size. */
export interface Bundle {
  readonly code: string
  /** node: modules imported along the way (`module <- importer`): stubbed, and tree-shaken away. */
  readonly nodeImports: readonly string[]
}

/**
 * lib/model/data.ts reads names files with node:fs; the lab passes the names in, so that import
 * is given a stub whose every export throws, and tree shaking drops it (build.test.ts checks the
 * stub's text never reaches the bundle).
 */
export const NODE_STUB_MARK = 'lab: node module unavailable in the browser'

const stubNodeModules = (seen: string[]): esbuild.Plugin => ({
  name: 'stub-node-modules',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      seen.push(`${args.path} <- ${args.importer.replace(`${root}/`, '')}`)
      return { path: args.path, namespace: 'node-stub' }
    })
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(NODE_STUB_MARK)}) }\nexport const readFileSync = fail\n`,
      loader: 'js',
    }))
  },
})

/** Bundles one browser entry (an IIFE, minified) and lists the node: imports it met. */
export const bundle = async (entry: string): Promise<Bundle> => {
  const seen: string[] = []
  const result = await esbuild.build({
    entryPoints: [resolve(here, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [stubNodeModules(seen)],
  })
  return { code: result.outputFiles[0].text, nodeImports: seen }
}

/** Code inside a <script> element: nothing in it may close the element early. */
const scriptSafe = (code: string, what: string): string => {
  const safe = code.replace(/<\/(script)/gi, '<\\/$1')
  if (/<!--|<\/script/i.test(safe))
    throw new Error(`lab: the ${what} bundle holds '<!--', which would break its <script>`)
  return safe
}

const labCss = `
.lab .controls { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 360px), 1fr)); gap: .5rem 1.2rem; padding: .7rem .9rem; background: var(--soft); border: 1px solid var(--line); border-radius: 8px; font-size: .93rem; }
.lab label { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; min-width: 0; }
.lab label > span:first-child { flex: 0 0 7.5rem; font-weight: 600; }
.lab select { min-width: 0; max-width: 100%; flex: 1; }
.lab output { min-width: 2.5rem; font-variant-numeric: tabular-nums; }
.lab input[type=range] { flex: 1; }
.lab input[type=number] { width: 6.5rem; }
.lab .buttons { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .8rem 0; }
.lab button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.lab button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.lab #status { font-variant-numeric: tabular-nums; color: var(--muted); margin: .2rem 0 .6rem; }
.lab #notice:empty { display: none; }
.lab #notice { padding: .5rem .8rem; background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 6px; }
.lab .panel { min-height: 260px; }
.lab figure.lab-chart { margin: .6rem 0 .4rem; max-width: 100%; overflow-x: auto; }
.lab .panel { min-width: 0; max-width: 100%; overflow-x: auto; }
.lab .panel table { font-size: .82rem; margin: .2rem 0 .6rem; }
.lab .finding { margin: .4rem 0; padding: .5rem .7rem; border-left: 3px solid var(--bad); background: #fff5f5; font-size: .9rem; animation: appear .4s ease-out; }
.lab .finding .since { color: var(--muted); font-size: .85rem; }
@keyframes appear { from { background: #ffd8d8; } to { background: #fff5f5; } }
`

const range = (id: string, label: string, [min, max]: readonly [number, number], value: number, step = 1): string =>
  `<label><span>${label}</span><input type="range" id="${id}" min="${min}" max="${max}" step="${step}" value="${value}"><output id="${id}-value"></output></label>`

const select = (id: string, label: string, options: readonly (readonly [string, string])[]): string =>
  `<label><span>${label}</span><select id="${id}">${options.map(([v, t]) => `<option value="${v}">${escapeHtml(t)}</option>`).join('')}</select></label>`

const body = (nameCount: string): string => `<div class="lab">
<h1>The lab: train the lecture's networks here</h1>
<p class="lead">The engine of this project, running in your browser: change the initialisation, the depth or the learning rate, switch BatchNorm on and off, and watch the instruments of the lecture move as the network trains on the built-in names corpus (${nameCount} names). The same seed gives the same numbers as <code>npm start</code>.</p>
<div id="notice" role="status"></div>
<div class="controls">
${select('network', 'network', [
  ['mlp', "MLP (one hidden layer, the lecture's first net)"],
  ['deep', 'deep net (the lecture’s five layers)'],
])}
${range('depth', 'depth', LIMITS.depth, 5)}
${range('width', 'width', LIMITS.width, 100)}
${select('activation', 'activation', [
  ['tanh', 'tanh'],
  ['relu', 'ReLU'],
  ['none', 'none (linear)'],
])}
${select('init', 'init', [
  ['naive', 'naive: every parameter randn'],
  ['fixed', 'fixed: the lecture’s hand-picked scales'],
  ['kaiming', 'Kaiming: gain / √fan_in'],
])}
<label><span>Kaiming gain</span><input type="number" id="gain" min="0" max="10" step="0.01" value="${gains.tanh}">
<button type="button" id="gain-tanh" title="tanh">5/3</button><button type="button" id="gain-relu" title="ReLU">√2</button><button type="button" id="gain-one" title="linear">1</button></label>
<label><span>BatchNorm</span><input type="checkbox" id="batchnorm"> after every hidden Linear</label>
${range('lr', 'learning rate', [-4, 1], -1, 0.05)}
${select('batch', 'batch size', [
  ['8', '8'],
  ['16', '16'],
  ['32', '32'],
  ['64', '64'],
  ['128', '128'],
  ['256', '256'],
])}
<label><span>seed</span><input type="number" id="seed" min="0" max="${LIMITS.seed[1]}" step="1" value="42"></label>
</div>
<div class="buttons">
<button type="button" id="step">step</button>
<button type="button" id="train" class="primary">train 1,000 steps</button>
<button type="button" id="stop">stop</button>
<button type="button" id="reset">reset</button>
<a id="share" href="#">share link (these settings)</a>
</div>
<p id="status">starting the worker…</p>
<div class="grid">
<div class="panel"><figure class="lab-chart" id="chart-loss"></figure></div>
<div class="panel"><h3>diagnose()</h3><div id="findings"></div></div>
<div class="panel"><figure class="lab-chart" id="chart-activations"></figure><div id="stats-activations"></div></div>
<div class="panel"><figure class="lab-chart" id="chart-gradients"></figure><div id="stats-gradients"></div></div>
<div class="panel"><figure class="lab-chart" id="chart-depth"></figure></div>
<div class="panel"><figure class="lab-chart" id="chart-update"></figure></div>
<div class="panel"><figure class="lab-chart" id="chart-weights"></figure><div id="stats-weights"></div></div>
</div>
</div>`

/** The charts' layouts as vega specs, by chart: compiled here so the page carries no vega-lite. */
const compiledCharts = (): Record<string, unknown> =>
  Object.fromEntries(Object.entries(labLayouts()).map(([id, spec]) => [id, compile(spec).spec]))

/** The site's nav when the lab is built alone (the e2e's lab check, tests): the lab as the only page. */
const LAB_NAV: readonly NavEntry[] = [{ file: 'lab.html', nav: 'Lab' }]

/**
 * The lab page, assembled in the site's layout with `nav` (the report's pages, the kata pages and
 * the lab): returns its file name and content, for the caller to write with the other pages.
 */
export const buildLab = async (
  nav: readonly NavEntry[] = LAB_NAV,
): Promise<{ readonly file: string; readonly content: string }> => {
  const [page, worker] = await Promise.all([bundle('page.ts'), bundle('worker.ts')])
  const names = readFileSync(NAMES, 'utf8')
  if (!/^[a-z\n\r]*$/.test(names)) throw new Error(`lab: ${NAMES} holds characters other than a-z and newlines`)
  const count = names
    .split('\n')
    .filter((n) => n !== '')
    .length.toLocaleString('en-US')
  const content = layout({
    file: 'lab.html',
    title: "The lab: train the lecture's networks in the page",
    nav,
    css: labCss,
    body: body(count),
    footer: `Written by <code>npm start</code>. Trains in a Web Worker with the project's lib/ (engine, model, instruments), bundled into this page with the ${count} names of data/names.txt; nothing is fetched from anywhere.`,
    scripts: `<script type="text/plain" id="lab-names">${names}</script>
<script type="application/json" id="lab-charts">${scriptSafe(JSON.stringify(compiledCharts()), 'charts')}</script>
<script type="text/plain" id="lab-worker">${scriptSafe(worker.code, 'worker')}</script>
<script>${scriptSafe(page.code, 'page')}</script>`,
  })
  return { file: 'lab.html', content }
}
