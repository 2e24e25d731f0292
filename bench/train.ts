/**
 * Training throughput: SGD steps per second of a lecture config (batch 32) on one thread, after
 * a warm-up, with batch sampling included, as PyTorch's loop would count it.
 */
import * as E from 'fp-ts/Either'
import { readNamesFile, sampleBatch } from '../lib/model/data.ts'
import { findExperiment, prepareCorpus, type ExperimentName } from '../lib/model/experiments.ts'
import { initModel } from '../lib/model/nn.ts'
import { seedRng, type RngState } from '../lib/engine/random.ts'
import { sgdStep, type TrainState } from '../lib/model/train.ts'
import { timeIt } from './measure.ts'

export const benchTraining = (name: ExperimentName): number => {
  const words = readNamesFile('data/names.txt')
  if (E.isLeft(words)) throw new Error(words.left.message)
  const corpus = prepareCorpus(words.right, 42)
  const [model, s0] = initModel(findExperiment(name)!.layers(corpus.vocab.size))(seedRng(1))
  const draw = sampleBatch(corpus.train, 32)
  let state: TrainState = { model, step: 0 }
  let s: RngState = s0
  const step = () => {
    const [batch, next] = draw(s)
    s = next
    state = sgdStep(state, batch, 0.1).state
  }
  return 1 / timeIt(step, { warmup: 0.5, minSeconds: 1, rounds: 3 }).seconds
}
