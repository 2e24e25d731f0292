import type { TopLevelSpec } from 'vega-lite'
import { evalRng } from '../../engine/random.ts'
import { findExperiment } from '../../model/experiments.ts'
import { forward, initModel, parameterCount, predict, type Model } from '../../model/nn.ts'
import { lectureSchedule, train } from '../../model/train.ts'
import { sampleBatch } from '../../model/data.ts'
import { seedRng } from '../../engine/random.ts'
import { chartConfig, sig } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { thousands } from '../../engine/format.ts'
import { type KataPage, f, html, chart, grid, section, code } from './shared.ts'

type K10 = import('../../../katas/10-batchnorm-folding/types.ts').Kata

/** Logits of one model against another's, one point per (example, character). */
const scatterSpec = (
  title: string,
  xTitle: string,
  yTitle: string,
  pairs: ReadonlyArray<readonly [number, number]>,
): TopLevelSpec => {
  const values = pairs.map(([x, y]) => ({ x: sig(x), y: sig(y) }))
  const lo = Math.min(...values.flatMap((v) => [v.x, v.y])),
    hi = Math.max(...values.flatMap((v) => [v.x, v.y]))
  return {
    title,
    width: 340,
    height: 300,
    config: chartConfig,
    layer: [
      {
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: 'line', color: '#9aa4ad', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 14, opacity: 0.55 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: [lo, hi], nice: false } },
          y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [lo, hi], nice: false } },
        },
      },
    ],
  }
}

/** Milliseconds per call of `run`, the median of `repeats` calls after two warm-up calls. */
const timeIt = (run: () => unknown, repeats: number): number => {
  run()
  run()
  const ms: number[] = []
  for (let i = 0; i < repeats; i++) {
    const t = performance.now()
    run()
    ms.push(performance.now() - t)
  }
  return ms.sort((a, b) => a - b)[Math.floor(repeats / 2)]
}

// ---------------------------------------------------------------------------------------------
// 10: BatchNorm folding (E02)

export const page10: KataPage<K10> = {
  needs: ['foldBatchNorm', 'foldModel'],
  build: (m, ctx) => {
    const steps = 300
    const trained = (['batchnorm', 'deep-batchnorm'] as const).map((name) => {
      const e = findExperiment(name)
      if (e === undefined) throw new Error(`lib/model/experiments.ts has no ${name} experiment`)
      const [model, rng] = initModel(e.layers(ctx.vocab.size))(seedRng(ctx.seed))
      const run = train(model, rng, sampleBatch(ctx.examples, 32), { name, steps, schedule: lectureSchedule(steps) })
      return { name, model: run.model, folded: m.foldModel(run.model) }
    })
    const batch = ctx.batch(32, ctx.seed + 1)
    const big = evalRng(sampleBatch(ctx.examples, 1024), ctx.seed + 2)
    const pairsOf = (a: Model, b: Model, train_ = false): Array<readonly [number, number]> => {
      const x = train_ ? forward(a, batch.X, 'train').logits.data : predict(a, batch.X).data
      const y = predict(b, batch.X).data
      return Array.from(x, (v, i) => [v, y[i]] as const)
    }
    const maxDiff = (pairs: ReadonlyArray<readonly [number, number]>) =>
      Math.max(...pairs.map(([a, b]) => Math.abs(a - b)))
    const deep = trained[1]
    const evalPairs = pairsOf(deep.model, deep.folded),
      trainPairs = pairsOf(deep.model, deep.folded, true)
    const rows = trained.map(({ name, model, folded }) => {
      const before = timeIt(() => predict(model, big.X), 9),
        after = timeIt(() => predict(folded, big.X), 9)
      return {
        name,
        cells: [
          name,
          thousands(parameterCount(model)),
          thousands(parameterCount(folded)),
          String(model.layers.filter((l) => l.kind === 'batchnorm').length),
          String(folded.layers.filter((l) => l.kind === 'batchnorm').length),
          f(before, 2),
          f(after, 2),
          `${f((1 - after / before) * 100, 0)}%`,
          maxDiff(pairsOf(model, folded)).toExponential(1),
        ],
        before,
        after,
      }
    })
    return {
      title: 'Kata 10: BatchNorm folding',
      headline: `${ctx.author}: the folded deep net's eval logits differ from the unfolded ones by at most ${maxDiff(evalPairs).toExponential(1)}; a forward pass of 1,024 contexts takes ${f(rows[1].after, 1)} ms instead of ${f(rows[1].before, 1)} ms`,
      intro: `The lecture's exercise E02: after training, each BatchNorm is a fixed affine map and folds into the Linear before it. The lecture's BatchNorm MLP and deep net, trained ${thousands(steps)} steps, folded by ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section(
          'The same logits, in eval mode only',
          'Look at the first chart: every point on the diagonal. In the second, the unfolded net runs in training mode, normalising with the batch’s own statistics, and the points leave it.',
        ),
        grid(
          chart(
            scatterSpec(`deep net: eval logits (${ctx.whose} foldModel)`, 'unfolded, eval mode', 'folded', evalPairs),
            `${thousands(evalPairs.length)} logits of one batch; the largest difference is ${maxDiff(evalPairs).toExponential(1)}.`,
          ),
          chart(
            scatterSpec('deep net: train-mode logits against the folded', 'unfolded, train mode', 'folded', trainPairs),
            `In training mode the largest difference is ${f(maxDiff(trainPairs), 2)}: a fold bakes in the running statistics, not the batch's.`,
          ),
        ),
        section(
          'Fewer parameters, fewer layers, less time',
          `Look at the parameter counts and the time of one eval-mode forward pass (${code('predict')}) over 1,024 contexts, median of 9.`,
        ),
        html(
          table(
            [
              'network',
              'parameters',
              'folded',
              'BatchNorms',
              'folded',
              'ms per pass',
              'folded',
              'time saved',
              'largest |Δ logit|',
            ],
            rows.map((r) => r.cells),
            [1, 2, 3, 4, 5, 6, 7, 8],
          ),
        ),
      ],
    }
  },
}
