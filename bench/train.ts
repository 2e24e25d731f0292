/**
 * Training throughput: SGD steps per second of a lecture config (batch 32) on one thread, after
 * a warm-up, batch sampling included, as PyTorch's loop would count it. The steps are train()'s,
 * what npm start runs (the step plan, and the update:data ratio of every weight at every step,
 * which PyTorch's loop does not compute).
 */
import * as E from 'fp-ts/Either'
import { readNamesFile, sampleBatch } from '../lib/model/data.ts'
import { findExperiment, prepareCorpus, type ExperimentName } from '../lib/model/experiments.ts'
import { initModel } from '../lib/model/nn.ts'
import { seedRng } from '../lib/engine/random.ts'
import { lectureSchedule, train } from '../lib/model/train.ts'
import { timeIt } from './measure.ts'

/** Steps per call of train(): enough that laying out its step plan is lost in them. */
const STEPS = 500

export const benchTraining = (name: ExperimentName): number => {
  const words = readNamesFile('data/names.txt')
  if (E.isLeft(words)) throw new Error(words.left.message)
  const corpus = prepareCorpus(words.right, 42)
  const [model, s0] = initModel(findExperiment(name)!.layers(corpus.vocab.size))(seedRng(1))
  const draw = sampleBatch(corpus.train, 32)
  // a constant learning rate, as PyTorch's loop trains
  const schedule = lectureSchedule(STEPS, STEPS)
  const run = () => train(model, s0, draw, { name, steps: STEPS, schedule })
  return STEPS / timeIt(run, { warmup: 0.5, minSeconds: 1, rounds: 3 }).seconds
}
