import type { Batch } from '../../model/data.ts'
import { BLOCK_SIZE, EMBEDDING_DIM, HIDDEN } from '../../model/experiments.ts'
import {
  batchNorm1d,
  describeParams,
  embedding,
  initModel,
  linear,
  sequential,
  tanhLayer,
  trainingPass,
  type LayerSpec,
} from '../../model/nn.ts'
import { kaiming } from '../../model/init.ts'
import { evalRng } from '../../engine/random.ts'
import { ones, zeros } from '../../engine/tensor.ts'
import { moments, symmetricRange } from '../../instruments/diagnostics.ts'
import { densityLinesSpec, linesSpec, type LineSeries } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { signed, thousands } from '../../engine/format.ts'
import { type KataPage, f, html, chart, section, code, bins } from './shared.ts'

type K04 = import('../../../katas/04-batchnorm/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 04: BatchNorm

export const page04: KataPage<K04> = {
  needs: ['batchStatistics', 'batchNormTrain', 'updateRunningStatistics', 'batchNormEval', 'removeBiasBeforeBatchNorm'],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    // the lecture's hpreact: embeddings through a Linear(30, 200) whose weights are 3× too large
    const pre = evalRng(
      initModel([embedding(V, EMBEDDING_DIM, BLOCK_SIZE), linear(30, HIDDEN, { bias: false, weightInit: kaiming(3) })]),
      ctx.seed,
    )
    const hpreact = (b: Batch) => trainingPass(pre, b.X, b.Y).trace.layers[1].out
    const params = { gamma: ones([HIDDEN]), beta: zeros([HIDDEN]) }
    let running = { mean: zeros([HIDDEN]), variance: ones([HIDDEN]) }
    const first = hpreact(ctx.batch(32, ctx.seed))
    const trained = m.batchNormTrain(first, params, running, { eps: 1e-5, momentum: 0.1 })
    const range = symmetricRange([first.data, trained.out.data])
    // running statistics over 100 batches, momentum 0.1
    const steps = 100,
      units = 4
    const means: LineSeries[] = Array.from({ length: units }, (_, j) => ({
      group: `unit ${j}`,
      points: [] as { x: number; y: number }[],
    }))
    const batchMeans: LineSeries[] = Array.from({ length: units }, (_, j) => ({
      group: `unit ${j}`,
      faint: true,
      points: [] as { x: number; y: number }[],
    }))
    for (let s = 0; s < steps; s++) {
      const x = hpreact(ctx.batch(32, ctx.seed + 1 + s))
      const stats = m.batchStatistics(x)
      running = m.updateRunningStatistics(running, stats, 0.1)
      for (let j = 0; j < units; j++) {
        ;(means[j].points as { x: number; y: number }[]).push({ x: s + 1, y: running.mean.data[j] })
        ;(batchMeans[j].points as { x: number; y: number }[]).push({ x: s + 1, y: stats.mean.data[j] })
      }
    }
    const evalOut = m.batchNormEval(first, params, running, 1e-5)
    const alone = m.batchNormEval({ shape: [1, HIDDEN], data: first.data.slice(0, HIDDEN) }, params, running, 1e-5)
    const aloneSame = alone.data.every((v, j) => Math.abs(v - evalOut.data[j]) < 1e-12)
    const withBias: LayerSpec[] = [
      embedding(V, 10, 3),
      linear(30, HIDDEN),
      batchNorm1d(HIDDEN),
      tanhLayer(),
      linear(HIDDEN, V),
    ]
    const count = (layers: readonly LayerSpec[]) =>
      describeParams(sequential(layers)).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)
    const mp = moments(first.data),
      mo = moments(trained.out.data),
      me = moments(evalOut.data)
    return {
      title: 'Kata 04: Batch Normalization',
      headline: `${ctx.author}: pre-activations of std ${f(mp.std)} come out of batchNormTrain with mean ${signed(mo.mean, 2)}, std ${f(mo.std)}; without the bias before it the lecture's net has ${thousands(count(m.removeBiasBeforeBatchNorm(withBias)))} parameters`,
      intro: `BatchNorm grades on a curve: every unit standardised over the batch, then scaled by gamma and shifted by beta. Everything here went through ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section(
          'Before and after: grading on a curve',
          `Look at the two curves: pre-activations of std ${f(mp.std)} become outputs of mean 0 and std 1.`,
        ),
        chart(
          densityLinesSpec({
            title: 'a batch of 32 before and after batchNormTrain',
            xTitle: 'value',
            series: [
              {
                label: `hpreact: mean ${signed(mp.mean, 2)}, std ${f(mp.std)}`,
                histogram: bins(first.data, range, 60),
              },
              {
                label: `batchNormTrain(hpreact).out: mean ${signed(mo.mean, 2)}, std ${f(mo.std)}`,
                histogram: bins(trained.out.data, range, 60),
              },
            ],
            width: 620,
          }),
          `hpreact comes from a Linear(30, ${HIDDEN}) whose weights are 3× too large, hence its std of ${f(mp.std)}. gamma = 1 and beta = 0 here, so the output is the standardised pre-activation itself.`,
        ),
        section(
          'Running statistics for evaluation',
          `Look at the bold lines creeping towards the faint batch means: ${ctx.whose} updateRunningStatistics with momentum 0.1 over ${steps} batches.`,
        ),
        chart(
          linesSpec({
            title: 'running mean of units 0–3',
            subtitle: "bold: running estimate; faint: each batch's mean",
            xTitle: 'batch',
            yTitle: 'mean',
            series: means.flatMap((s, j) => [s, batchMeans[j]]),
            legendColumns: units,
            width: 620,
          }),
          "Each step moves the running mean 10% of the way towards the batch's.",
        ),
        html(
          table(
            ['evaluation (batchNormEval, running statistics)', ''],
            [
              ["mean and std of the first batch's output", `${signed(me.mean, 3)}, ${f(me.std, 3)}`],
              ['the first example alone gets the same output as inside its batch', aloneSame ? 'yes' : 'no'],
            ],
          ),
        ),
        html(
          '<p>Near 0 and 1 but not exactly: in evaluation the batch is normalised with the running statistics, an average over the recent batches, not with its own mean and variance.</p>',
        ),
        section(
          'No bias before BatchNorm',
          'Look at the counts: BatchNorm subtracts the batch mean, so a bias before it does nothing and only adds parameters.',
        ),
        html(
          table(
            ['network', 'parameters'],
            [
              [
                `Embedding(${V}, ${EMBEDDING_DIM}) → Linear(30, ${HIDDEN}) with bias → BatchNorm1d(${HIDDEN}) → Tanh → Linear(${HIDDEN}, ${V})`,
                thousands(count(withBias)),
              ],
              [`${code('removeBiasBeforeBatchNorm')} of it`, thousands(count(m.removeBiasBeforeBatchNorm(withBias)))],
            ],
            [1],
          ),
        ),
      ],
    }
  },
}
