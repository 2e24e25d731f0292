import { BLOCK_SIZE, EMBEDDING_DIM, HIDDEN } from '../../model/experiments.ts'
import { embedding, linear, reluLayer } from '../../model/nn.ts'
import { constant, kaiming, scaledNormal } from '../../model/init.ts'
import { tanh } from '../../engine/ops.ts'
import { vector, type Tensor } from '../../engine/tensor.ts'
import { saturationMap } from '../../instruments/diagnostics.ts'
import { histogramBarsSpec, linesSpec, saturationMapSpec } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { thousands } from '../../engine/format.ts'
import { type KataPage, f, pct, html, chart, grid, section, code, std, bins, mlpLayers, traceOf } from './shared.ts'

type K02 = import('../../../katas/02-saturation/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 02: saturation

export const page02: KataPage<K02> = {
  needs: [
    'tanhLocalGradient',
    'saturationFraction',
    'deadUnits',
    'reluLocalGradient',
    'deadReluUnits',
    'fixHiddenLayer',
  ],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    const xs = vector(Array.from({ length: 161 }, (_, i) => -4 + i * 0.05))
    const t = tanh(xs)
    const tanhGrad = m.tanhLocalGradient(t),
      reluGrad = m.reluLocalGradient(xs)
    const curve = (values: ArrayLike<number>) => Array.from(xs.data, (x, i) => ({ x, y: values[i] }))
    const naive = { w1: 1, b1: 1, w2: 0.01, b2: 0 }
    const fixedScales = m.fixHiddenLayer(naive)
    const batch = ctx.batch(32, ctx.seed)
    const hOf = (s: typeof naive) => {
      const tr = traceOf(mlpLayers(V, s), ctx.seed, batch).trace
      return tr.layers[2].out
    }
    const hNaive = hOf(naive),
      hFixed = hOf(fixedScales)
    const satNaive = m.saturationFraction(hNaive),
      satFixed = m.saturationFraction(hFixed)
    const deadNaive = m.deadUnits(hNaive),
      deadFixed = m.deadUnits(hFixed)
    // a ReLU layer whose bias starts at -2: units that never fire
    const reluTrace = traceOf(
      [
        embedding(V, EMBEDDING_DIM, BLOCK_SIZE),
        linear(30, HIDDEN, { weightInit: kaiming('relu'), biasInit: constant(-2) }),
        reluLayer(),
        linear(HIDDEN, V, { weightInit: scaledNormal(0.01) }),
      ],
      ctx.seed,
      batch,
    ).trace
    const deadRelu = m.deadReluUnits(reluTrace.layers[1].out)
    const label = (name: string, sat: number, h: Tensor) => `${name}: ${pct(sat)} saturated, std ${f(std(h))}`
    return {
      title: 'Kata 02: saturation and dead units',
      headline: `${ctx.author}: the naive hidden layer is ${pct(satNaive)} saturated with ${deadNaive.length} dead units; after fixHiddenLayer (w1 × ${fixedScales.w1}, b1 × ${fixedScales.b1}), ${pct(satFixed)} saturated with ${deadFixed.length} dead units`,
      intro: `A saturated tanh unit is a clipped microphone: stuck near ±1, it passes back only 1 − t² of its gradient. Every figure here was computed by ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section(
          'The valve: local gradients',
          "Look at where the gradient dies: tanh's 1 − t² falls to nothing at the flat ends, ReLU's is 0 for every negative input.",
        ),
        chart(
          linesSpec({
            title: `tanh, and the local gradients ${ctx.whose} functions compute`,
            xTitle: 'x (pre-activation)',
            yTitle: 'value',
            series: [
              { group: 't = tanh(x)', points: curve(t.data) },
              { group: 'tanhLocalGradient(t) = 1 − t²', points: curve(tanhGrad.data) },
              { group: 'reluLocalGradient(x)', points: curve(reluGrad.data) },
            ],
            width: 620,
            height: 230,
          }),
          `At |t| = 0.99 ${ctx.whose} tanh gradient passes ${f(m.tanhLocalGradient(vector([0.99])).data[0], 4)} of the signal.`,
        ),
        section(
          'The hidden layer before and after the fix',
          'Look at the edges of the histograms: a crowd at −1 and +1 is saturation.',
        ),
        chart(
          histogramBarsSpec({
            title: 'h = tanh(hpreact) on a batch of 32',
            xTitle: 'h',
            series: [
              { label: label('naive', satNaive, hNaive), histogram: bins(hNaive.data, { min: -1, max: 1 }) },
              { label: label('fixed', satFixed, hFixed), histogram: bins(hFixed.data, { min: -1, max: 1 }) },
            ],
          }),
          `The lecture's plt.hist(h.view(-1).tolist(), 50): naive is W1 and b1 randn × 1, fixed is ${ctx.whose} fixHiddenLayer (w1 × ${fixedScales.w1}, b1 × ${fixedScales.b1}); the saturated shares (|h| > 0.99) are ${ctx.whose} saturationFraction's.`,
        ),
        grid(
          chart(
            saturationMapSpec({
              title: `naive: |h| > 0.99, ${deadNaive.length} dead units (${ctx.whose} deadUnits)`,
              map: saturationMap(hNaive, 0.99, 32, 200),
            }),
            'White: saturated. A column white from top to bottom is a dead unit.',
          ),
          chart(
            saturationMapSpec({
              title: `fixed: |h| > 0.99, ${deadFixed.length} dead units`,
              map: saturationMap(hFixed, 0.99, 32, 200),
            }),
            'Hardly any white: the units respond to their inputs.',
          ),
        ),
        section(
          'Dead ReLU units',
          `Look at the count: a ReLU unit whose pre-activation is at most 0 for every example of the batch (${batch.Y.length} here) outputs 0, passes no gradient back, and so never learns its way out.`,
        ),
        html(
          table(
            ['layer', code('deadReluUnits'), 'of'],
            [
              [
                `Linear(30, ${HIDDEN}) with Kaiming weights and a bias of −2, then ReLU`,
                thousands(deadRelu.length),
                thousands(HIDDEN),
              ],
            ],
            [1, 2],
          ),
        ),
      ],
    }
  },
}
