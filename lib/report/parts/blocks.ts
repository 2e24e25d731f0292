/**
 * What a page is made of, and the helpers every part's figures.ts and every kata page draws with:
 * blocks of HTML, charts and grids, the note in place of a chart whose run is missing, and the
 * ways into a run's snapshots.
 */
import type { TopLevelSpec } from 'vega-lite'
import type { ExperimentName, ExperimentRun } from '../../model/experiments.ts'
import { findExperiment } from '../../model/experiments.ts'
import type { LayerTrace, Trace } from '../../model/nn.ts'
import type { Snapshot } from '../../model/train.ts'
import { escapeHtml } from '../html.ts'
import type { ReportInput } from '../input.ts'

export type Block =
  | { readonly kind: 'html'; readonly html: string }
  /** A static chart, rendered to SVG in Node. */
  | { readonly kind: 'chart'; readonly spec: TopLevelSpec; readonly caption: string }
  /** Charts side by side. */
  | { readonly kind: 'grid'; readonly blocks: readonly Block[] }
  /** A chart the browser runs (its params bound to inputs). */
  | { readonly kind: 'interactive'; readonly spec: TopLevelSpec; readonly caption: string }

export interface PageDraft {
  readonly file: string
  /** The short name in the nav bar. */
  readonly nav: string
  readonly title: string
  /** The page's main finding in one line, with its numbers: what index.html shows next to the link. */
  readonly headline: string
  /** One or two sentences under the title (HTML). */
  readonly intro: string
  readonly blocks: readonly Block[]
}

/** The id of a section's heading: its words in lower case, joined by hyphens. */
export const slug = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

export const code = (s: string): string => `<code>${escapeHtml(s)}</code>`
export const html = (s: string): Block => ({ kind: 'html', html: s })
export const chart = (spec: TopLevelSpec, caption: string): Block => ({ kind: 'chart', spec, caption })
export const grid = (...blocks: Block[]): Block => ({ kind: 'grid', blocks })
export const runOf = (data: ReportInput, name: ExperimentName): ExperimentRun | undefined =>
  data.runs.find((r) => r.name === name)
export const firstSnapshot = (run: ExperimentRun): Snapshot | undefined => run.history.snapshots[0]
export const lastSnapshot = (run: ExperimentRun): Snapshot | undefined =>
  run.history.snapshots[run.history.snapshots.length - 1]
export const layerNamed = (trace: Trace, name: string): LayerTrace | undefined =>
  trace.layers.find((l) => l.name === name)
export const layerIndex = (trace: Trace, l: LayerTrace): number => trace.layers.indexOf(l)

/** A note in place of a chart whose run is not in this report. */
export const missing = (what: string, needs: readonly ExperimentName[]): Block =>
  html(
    `<div class="missing">${escapeHtml(what)} needs the ${needs.map(code).join(' and ')} run${needs.length > 1 ? 's' : ''}, ` +
      'which this report was written without. ' +
      `Run ${code(`npm start -- --only ${needs.join(',')}`)} (or without ${code('--only')}) to see it.</div>`,
  )

export const titleOf = (name: ExperimentName): string => findExperiment(name)?.title ?? name

/** The first and the last snapshot of a run (one if they are the same). */
export const endSnapshots = (run: ExperimentRun): Snapshot[] =>
  [firstSnapshot(run), lastSnapshot(run)].filter(
    (s, i, all): s is Snapshot => s !== undefined && all.findIndex((x) => x?.step === s.step) === i,
  )

export const tanhLayers = (s: Snapshot): LayerTrace[] => s.trace.layers.filter((l) => l.kind === 'tanh')
