import { findExperiment, prepareCorpus, type ExperimentName } from '../../model/experiments.ts'
import { initModel } from '../../model/nn.ts'
import { evalRng, shuffle } from '../../engine/random.ts'
import { movingAverage } from '../../instruments/diagnostics.ts'
import { downsample, linesSpec, type LineSeries } from '../../report/specs.ts'
import { escapeHtml, table } from '../../report/html.ts'
import { thousands } from '../../engine/format.ts'
import { type KataPage, f, html, chart, section, code } from './shared.ts'

type K07 = import('../../../katas/07-training/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 07: training

export const page07: KataPage<K07> = {
  needs: ['learningRate', 'sgdStep', 'trainModel', 'evaluate', 'lossTable', 'sampleNames'],
  build: (m, ctx) => {
    const words = evalRng(shuffle(ctx.words), ctx.seed).slice(0, 2000)
    const corpus = prepareCorpus(words, ctx.seed)
    const steps = 1000
    const names: ExperimentName[] = ['naive', 'fix-softmax', 'fix-tanh', 'kaiming', 'batchnorm']
    const rows = m.lossTable(names, corpus, { steps, seed: ctx.seed })
    const curves = (['naive', 'fix-tanh'] as const).map((name) => {
      const model = evalRng(initModel(findExperiment(name)!.layers(corpus.vocab.size)), ctx.seed)
      return { name, run: m.trainModel(model, corpus.train, { steps, seed: ctx.seed }) }
    })
    const V = corpus.vocab.size,
      lnV = Math.log(V)
    const lossSeries = curves.flatMap(({ name, run }): LineSeries[] => {
      const log10 = Float64Array.from(run.losses, (l) => Math.log10(l))
      return [
        { group: name, faint: true, points: downsample(log10, steps) },
        { group: name, points: downsample(movingAverage(log10, 20), steps) },
      ]
    })
    const samples = m.sampleNames(curves[1].run.model, corpus.vocab, 15, ctx.seed)
    const fixes = rows.filter((r) => r.name !== 'naive').map((r) => r.val)
    return {
      title: 'Kata 07: training',
      headline: `${ctx.author}: after ${thousands(steps)} steps on ${thousands(words.length)} names the naive init reaches val ${f(rows[0].val, 3)}, the fixed inits ${f(Math.min(...fixes), 3)}–${f(Math.max(...fixes), 3)}`,
      intro: `The lecture's loop (minibatches, SGD, the 0.1 → 0.01 schedule, evaluation in eval mode, sampling), run by ${ctx.author} in ${ctx.folder} on ${thousands(words.length)} names for ${thousands(steps)} steps per experiment. A short run: the losses are higher than the lecture's, and the fixes, a few hundredths apart in the lecture, are within the noise of each other here (${code('npm start -- --full')} runs the lecture's 200,000 steps).`,
      blocks: [
        section(
          "The experiments' loss table",
          `Look at the first loss against ln ${V} = ${f(lnV)}, and at how far below the naive init every fix ends.`,
        ),
        html(
          table(
            ['experiment', 'first loss', 'train', 'val', "the lecture's val (200,000 steps)"],
            rows.map((r) => {
              const lecture = findExperiment(r.name)?.lecture.val
              return [
                escapeHtml(r.name),
                f(r.initLoss, 3),
                f(r.train, 3),
                f(r.val, 3),
                lecture === undefined ? '' : f(lecture),
              ]
            }),
            [1, 2, 3, 4],
          ),
        ),
        section(
          'The hockey stick',
          'Look at the first steps: the naive net spends them shrinking its logits; the fixed one starts on the plateau.',
        ),
        chart(
          linesSpec({
            title: `log10 loss per step (${ctx.whose} trainModel)`,
            subtitle: 'faint: each minibatch; bold: moving average over 20 steps',
            xTitle: 'step',
            yTitle: 'log10 loss',
            series: lossSeries,
            rules: [{ y: Math.log10(lnV), label: `ln ${V} = ${f(lnV)}` }],
            width: 760,
            height: 280,
          }),
          `The learning rate drops from ${m.learningRate(0, steps)} to ${m.learningRate(steps - 1, steps)} at step ${curves[1].run.learningRates.findIndex((r) => r !== curves[1].run.learningRates[0])}.`,
        ),
        section(
          `Names from ${curves[1].name} after ${thousands(steps)} steps`,
          `Look at the names: after a short run they are name-like but not yet names (${ctx.whose} sampleNames).`,
        ),
        html(`<p>${samples.map(code).join(' ')}</p>`),
      ],
    }
  },
}
