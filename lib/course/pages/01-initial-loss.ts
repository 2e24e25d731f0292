import { matrix, zeros } from '../../engine/tensor.ts'
import { symmetricRange } from '../../instruments/diagnostics.ts'
import { densityLinesSpec, softmaxSpec } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { thousands } from '../../engine/format.ts'
import { BAD_LOGITS, GOOD_LOGITS } from '../../report/parts/01-initial-loss/figures.ts'
import { type KataPage, LECTURE_SIZES, f, html, chart, grid, section, code, std, bins } from './shared.ts'

type K01 = import('../../../katas/01-initial-loss/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 01: the initial loss

export const page01: KataPage<K01> = {
  needs: [
    'expectedInitialLoss',
    'softmax',
    'crossEntropy',
    'initMlp',
    'mlpLogits',
    'initialLoss',
    'fixOutputLayer',
    'distinctHiddenUnits',
  ],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    const sizes = { ...LECTURE_SIZES, vocabSize: V }
    const naive = { w1: 1, b1: 1, w2: 1, b2: 1 }
    const fixedScales = m.fixOutputLayer(naive)
    const batch = ctx.batch(32, ctx.seed)
    const pNaive = m.initMlp(sizes, naive, ctx.seed),
      pFixed = m.initMlp(sizes, fixedScales, ctx.seed)
    const lossNaive = m.initialLoss(pNaive, batch),
      lossFixed = m.initialLoss(pFixed, batch)
    const expected = m.expectedInitialLoss(V)
    const uniform = m.crossEntropy(zeros([32, V]), batch.Y)
    const lNaive = m.mlpLogits(pNaive, batch.X),
      lFixed = m.mlpLogits(pFixed, batch.X)
    const range = symmetricRange([lNaive.data, lFixed.data])
    const good = m.softmax(matrix([GOOD_LOGITS])).data,
      bad = m.softmax(matrix([BAD_LOGITS])).data
    const zero = m.initMlp(sizes, { ...fixedScales, w1: 0, b1: 0 }, ctx.seed)
    const distinct = m.distinctHiddenUnits(pFixed.W1, pFixed.b1),
      distinctZero = m.distinctHiddenUnits(zero.W1, zero.b1)
    return {
      title: 'Kata 01: the initial loss',
      headline: `${ctx.author}: the naive net starts at loss ${f(lossNaive)}, the fixed one at ${f(lossFixed)}; a uniform guess scores ln ${V} = ${f(expected, 4)}`,
      intro: `A network that knows nothing should give each of the ${V} characters probability 1/${V}, and so start at loss ln ${V}. Every number on this page was computed by ${ctx.author} in ${ctx.folder}.`,
      blocks: [
        section('Establishing a theoretical baseline', 'Look at the first losses next to the loss of a uniform guess.'),
        html(
          table(
            ['', 'loss', 'the lecture'],
            [
              [`${code(`expectedInitialLoss(${V})`)}`, f(expected, 4), '3.29'],
              [`${code('crossEntropy')} of all-zero logits (a uniform guess)`, f(uniform, 4), '3.29'],
              [`naive init (every scale 1): ${code('initialLoss')}`, f(lossNaive, 4), '27'],
              [`${code('fixOutputLayer')}: w2 × ${fixedScales.w2}, b2 × ${fixedScales.b2}`, f(lossFixed, 4), '3.3'],
            ],
            [1, 2],
          ),
        ),
        section(
          'The source of overconfidence: unruly logits',
          'Look at the spread: the naive logits reach far from zero, so softmax puts nearly all the probability on one character; the fixed logits stay near zero.',
        ),
        grid(
          chart(
            densityLinesSpec({
              title: 'logits of the first batch (mlpLogits)',
              xTitle: 'logit',
              series: [
                { label: `naive: std ${f(std(lNaive))}`, histogram: bins(lNaive.data, range, 80) },
                { label: `fixed: std ${f(std(lFixed))}`, histogram: bins(lFixed.data, range, 80) },
              ],
            }),
            `The fixed logits pile up in a spike at 0: std ${f(std(lFixed), 3)} against ${f(std(lNaive))}.`,
          ),
          chart(
            softmaxSpec({
              title: `${ctx.whose} softmax of good and extreme logits`,
              cases: [
                { label: `good [${GOOD_LOGITS.join(', ')}]`, logits: [...GOOD_LOGITS], probs: Array.from(good) },
                { label: `extreme [${BAD_LOGITS.join(', ')}]`, logits: [...BAD_LOGITS], probs: Array.from(bad) },
              ],
            }),
            `With the extreme logits the option with logit 15 gets probability ${f(bad[2], 6)}.`,
          ),
        ),
        section(
          'Why small random numbers, not zeros',
          'Look at how many different hidden units each init gives: units that start equal get equal gradients and stay equal.',
        ),
        html(
          table(
            ['hidden layer init', code('distinctHiddenUnits')],
            [
              [`randn × ${fixedScales.w1} (random)`, thousands(distinct)],
              ['all zeros', thousands(distinctZero)],
            ],
            [1],
          ),
        ),
      ],
    }
  },
}
