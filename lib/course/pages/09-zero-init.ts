import { evalRng, shuffle } from '../../engine/random.ts'
import { buildExamples } from '../../model/data.ts'
import { BLOCK_SIZE } from '../../model/experiments.ts'
import { crossEntropy } from '../../model/loss.ts'
import { initModel, predict } from '../../model/nn.ts'
import { movingAverage } from '../../instruments/diagnostics.ts'
import { downsample, linesSpec, type LineSeries } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { thousands } from '../../engine/format.ts'
import { type KataPage, f, html, chart, grid, section, code } from './shared.ts'

type K09 = import('../../../katas/09-zero-init/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 09: zero init (E01)

export const page09: KataPage<K09> = {
  needs: [
    'zeroInitLayers',
    'nonZeroGradients',
    'hiddenActivationStd',
    'distinctHiddenUnits',
    'gradientNorms',
    'trainRecorded',
    'unigramLoss',
    'smallestFix',
  ],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    const words = evalRng(shuffle(ctx.words), ctx.seed).slice(0, 4000)
    const examples = buildExamples(words, ctx.vocab, BLOCK_SIZE)
    const steps = 1000
    const zeroLayers = m.zeroInitLayers(V)
    const fixLayers = m.smallestFix(zeroLayers)
    const options = { steps, lr: 0.1, batchSize: 32, seed: ctx.seed }
    const runs = [
      { name: 'all zero', run: m.trainRecorded(evalRng(initModel(zeroLayers), ctx.seed), examples, options) },
      { name: 'smallestFix', run: m.trainRecorded(evalRng(initModel(fixLayers), ctx.seed), examples, options) },
    ]
    const uni = m.unigramLoss(examples.Y, V)
    const lossOf = (model: (typeof runs)[number]['run']['model']) =>
      crossEntropy(predict(model, examples.X), examples.Y)
    const batch = ctx.batch(32, ctx.seed)
    const start = runs.map(({ name }) => evalRng(initModel(name === 'all zero' ? zeroLayers : fixLayers), ctx.seed))
    const lossSeries = runs.flatMap(({ name, run }): LineSeries[] => [
      { group: name, faint: true, points: downsample(Float64Array.from(run.losses), 400) },
      { group: name, points: downsample(movingAverage(Float64Array.from(run.losses), 50), 400) },
    ])
    const normChart = (name: string, norms: Record<string, number[]>) =>
      chart(
        linesSpec({
          title: `gradient norm per parameter: ${name}`,
          subtitle: 'moving average over 20 steps',
          xTitle: 'step',
          yTitle: '‖grad‖',
          series: Object.entries(norms).map(([p, ns]) => ({
            group: p,
            points: downsample(movingAverage(Float64Array.from(ns), 20), 300),
          })),
          legendColumns: 3,
          width: 360,
        }),
        name === 'all zero'
          ? `Every line but linear2.bias lies on 0 for all ${thousands(steps)} steps: ${Object.entries(norms)
              .filter(([, ns]) => ns.every((g) => g === 0))
              .map(([p]) => p)
              .join(', ')} never got a gradient.`
          : `Every parameter learns: the smallest gradient norm at the last step is ${f(Math.min(...Object.values(norms).map((ns) => ns[ns.length - 1])), 4)}.`,
      )
    return {
      title: 'Kata 09: zero init',
      headline: `${ctx.author}: the all-zero MLP ends at loss ${f(lossOf(runs[0].run.model), 3)} against a unigram loss of ${f(uni, 3)}; with one parameter made random it ends at ${f(lossOf(runs[1].run.model), 3)}`,
      intro: `The lecture's exercise E01: every weight and bias of the MLP starts at zero. ${thousands(steps)} steps of SGD at learning rate 0.1 on ${thousands(words.length)} names, by ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section(
          'Where the gradient stops',
          'Look at which parameters get any gradient at all: with h = tanh(0) = 0 and W2 = 0, only the output bias does.',
        ),
        html(
          table(
            ['', code('nonZeroGradients'), 'hidden std', code('distinctHiddenUnits'), 'loss over the names'],
            runs.flatMap(({ name, run }, k) => [
              [
                `${name}, step 0`,
                m.nonZeroGradients(start[k], batch).join(', '),
                f(m.hiddenActivationStd(start[k], batch), 3),
                thousands(m.distinctHiddenUnits(start[k])),
                f(lossOf(start[k]), 3),
              ],
              [
                `${name}, after ${thousands(steps)} steps`,
                m.nonZeroGradients(run.model, batch).join(', '),
                f(m.hiddenActivationStd(run.model, batch), 3),
                thousands(m.distinctHiddenUnits(run.model)),
                f(lossOf(run.model), 3),
              ],
            ]),
            [2, 3, 4],
          ),
        ),
        section(
          'The loss it settles at',
          'Look at the all-zero curve settling on the unigram loss (each character predicted with its overall frequency): single batches dip below it, but its loss over all the names (the table above) never does. The fixed net goes well below it, because it reads the context.',
        ),
        chart(
          linesSpec({
            title: `loss per step (${ctx.whose} trainRecorded)`,
            subtitle: 'faint: each minibatch; bold: moving average over 50 steps',
            xTitle: 'step',
            yTitle: 'loss',
            series: lossSeries,
            rules: [
              { y: uni, label: `unigram loss ${f(uni, 3)}`, labelBelow: true },
              { y: Math.log(V), label: `ln ${V} = ${f(Math.log(V), 3)}: a uniform guess` },
            ],
            width: 760,
            height: 280,
          }),
          `The all-zero net's last 50 steps average ${f(avgLast(runs[0].run.losses, 50), 3)}; the unigram loss of these names is ${f(uni, 3)}.`,
        ),
        section(
          'Each parameter’s gradient over the steps',
          'Look at the flat zero lines of the all-zero net: b2 moving never makes h or W2 any less zero.',
        ),
        grid(normChart('all zero', runs[0].run.gradNorms), normChart('smallestFix', runs[1].run.gradNorms)),
      ],
    }
  },
}

const avgLast = (xs: readonly number[], n: number): number => {
  const tail = xs.slice(-n)
  return tail.reduce((a, b) => a + b, 0) / tail.length
}
