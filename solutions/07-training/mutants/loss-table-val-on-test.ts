/** Mutant: the table's val column evaluated on the test split. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { initModel } from '../../../lib/model/nn.ts'
import { seedRng } from '../../../lib/engine/random.ts'
import { findExperiment } from '../../../lib/model/experiments.ts'
import { evaluate, trainModel } from '../kata.ts'

export * from '../kata.ts'

export const lossTable: Kata['lossTable'] = (names, corpus, options) =>
  names.map((name) => {
    const experiment = findExperiment(name)
    if (experiment === undefined) throw new Error(`no experiment named ${name}`)
    const [model] = initModel(experiment.layers(corpus.vocab.size))(seedRng(options.seed))
    const run = trainModel(model, corpus.train, options)
    return {
      name,
      initLoss: run.losses[0],
      train: evaluate(run.model, corpus.train),
      val: evaluate(run.model, corpus.test),
    }
  })

export const mistake: Mistake = {
  lecture:
    'the val column computed on the test split: the lecture tunes on dev (val) and keeps test untouched until the very end',
  message: 'the val column is the loss on the test split',
}
