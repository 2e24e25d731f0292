/**
 * What every kata page shares: the Context it is drawn on (the names data, seeded batches, whose
 * code), and the helpers that draft a page from the report layer's blocks and chart builders.
 */
import { join } from 'node:path'
import type { TopLevelSpec } from 'vega-lite'
import {
  buildExamples,
  buildVocabulary,
  readNamesOrThrow,
  sampleBatch,
  type Batch,
  type Examples,
  type Vocabulary,
} from '../../model/data.ts'
import { BLOCK_SIZE, lectureMlp } from '../../model/experiments.ts'
import { initModel, trainingPass, type LayerSpec, type Model, type Trace } from '../../model/nn.ts'
import { evalRng } from '../../engine/random.ts'
import type { Tensor } from '../../engine/tensor.ts'
import { histogram as binValues, moments, type Histogram as BinnedValues } from '../../instruments/diagnostics.ts'
import { escapeHtml } from '../../report/html.ts'
import { fixed, percent } from '../../engine/format.ts'
import type { Block, PageDraft } from '../../report/index.ts'

/** What a page's build returns: the page without its file name and nav entry. */
export type PageBody = Omit<PageDraft, 'file' | 'nav'>

/** A kata's page: the functions it calls and how it is drawn from the kata's module. */
export interface KataPage<M> {
  /** Every function of the kata the page calls, in the kata's order. */
  readonly needs: readonly string[]
  /** What the page computes on, for its footer; the names of data/names.txt unless it says otherwise. */
  readonly data?: string
  readonly build: (m: M, ctx: Context) => Promise<PageBody> | PageBody
}

// ---------------------------------------------------------------------------------------------
// Shared data: the names, their vocabulary and examples, seeded batches

export interface Context {
  readonly seed: number
  readonly words: readonly string[]
  readonly vocab: Vocabulary
  readonly examples: Examples
  /** A batch of `size` examples drawn with `seed`. */
  readonly batch: (size: number, seed: number) => Batch
  /** Who wrote the code the page shows: "your code" or "the reference answers". */
  readonly author: string
  /** Whose functions: "your" or "the reference". */
  readonly whose: string
  /** Where that code is: "katas/03-kaiming" or "solutions/03-kaiming". */
  readonly folder: string
}

/** The names data and seeded batches a kata's page is drawn on, and whose code draws it. */
export const makeContext = (
  root: string,
  { seed, kata, solutions }: { readonly seed: number; readonly kata: string; readonly solutions: boolean },
): Context => {
  const words = readNamesOrThrow(join(root, 'data', 'names.txt'))
  const vocab = buildVocabulary(words)
  const examples = buildExamples(words, vocab, BLOCK_SIZE)
  return {
    seed,
    words,
    vocab,
    examples,
    batch: (size, s) => evalRng(sampleBatch(examples, size), s),
    author: solutions ? 'the reference answers' : 'your code',
    whose: solutions ? 'the reference' : 'your',
    folder: `${solutions ? 'solutions' : 'katas'}/${kata}`,
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for drafting pages

export const f = fixed
export const pct = percent
import { html } from '../../report/parts/blocks.ts'
export { chart, code, grid, html } from '../../report/parts/blocks.ts'
/** A kata page's section: its heading (no id: a kata page has no table of contents to link) and its look line. */
export const section = (heading: string, look: string): Block =>
  html(`<h2>${escapeHtml(heading)}</h2>\n<p class="look">${look}</p>`)
export const std = (t: Tensor | ArrayLike<number>): number => moments('data' in t ? t.data : t).std
export { LECTURE_SIZES } from '../../model/experiments.ts'

/** Values binned for a chart over a shared range (the drawing, not the learner's instrument). */
export const bins = (values: ArrayLike<number>, range: { min: number; max: number }, n = 50): BinnedValues =>
  binValues(values, { bins: n, ...range })

/** The lecture's one-hidden-layer MLP with W1, b1, W2, b2 drawn as randn × scale (experiments' lectureMlp). */
export const mlpLayers = lectureMlp

export const traceOf = (layers: LayerSpec[], seed: number, batch: Batch): { model: Model; trace: Trace } => {
  const model = evalRng(initModel(layers), seed)
  return { model, trace: trainingPass(model, batch.X, batch.Y).trace }
}

export const tanhLayersOf = (trace: Trace) => trace.layers.filter((l) => l.kind === 'tanh')

// ---------------------------------------------------------------------------------------------
// Yours beside the reference

type ChartBlock = Extract<Block, { kind: 'chart' }>

/** A chart's spec without what only a top-level spec may carry, titled `label`: one side of a pair. */
const sideOf = (spec: TopLevelSpec, label: string): Record<string, unknown> => {
  const { config: _config, $schema: _schema, title, ...rest } = spec as unknown as Record<string, unknown>
  const text = typeof title === 'object' && title !== null && 'text' in title ? String(title.text) : String(title ?? '')
  return { ...rest, title: { text: `${label}: ${text}`, anchor: 'start' } }
}

/**
 * Your chart and the reference answers' side by side in one figure, on shared x and y scales,
 * each titled "yours" or "reference".
 */
export const pairChart = (yours: ChartBlock, reference: ChartBlock): ChartBlock => ({
  kind: 'chart',
  spec: {
    config: (yours.spec as { config?: unknown }).config,
    hconcat: [sideOf(yours.spec, 'yours'), sideOf(reference.spec, 'reference')],
    resolve: { scale: { x: 'shared', y: 'shared', color: 'independent' }, legend: { color: 'independent' } },
  } as unknown as TopLevelSpec,
  caption:
    yours.caption === reference.caption
      ? `Left, drawn by your code; right, by the reference answers, on the same scales. ${yours.caption}`
      : `Left, drawn by your code: ${yours.caption} Right, the reference answers: ${reference.caption}`,
})

const pairBlocks = (yours: readonly Block[], reference: readonly Block[]): Block[] =>
  yours.map((b, i) => {
    const r = reference[i]
    if (b.kind === 'chart' && r?.kind === 'chart') return pairChart(b, r)
    if (b.kind === 'grid' && r?.kind === 'grid') return { kind: 'grid', blocks: pairBlocks(b.blocks, r.blocks) }
    return b
  })

/**
 * A page drawn from your code with the reference answers' figures beside each chart (same scales,
 * labelled "yours" and "reference") and the reference's headline under yours.
 */
export const besideReference = (yours: PageBody, reference: PageBody): PageBody => ({
  ...yours,
  headline: `${yours.headline}; the reference answers: ${reference.headline.replace(/^the reference answers: /i, '')}`,
  blocks: pairBlocks(yours.blocks, reference.blocks),
})
