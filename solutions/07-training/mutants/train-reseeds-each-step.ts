/** Mutant: each step's minibatch drawn from a generator seeded again with seed + step. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { sampleBatch } from '../../../lib/model/data.ts'
import { seedRng } from '../../../lib/engine/random.ts'
import { learningRate, sgdStep } from '../kata.ts'

export * from '../kata.ts'

export const trainModel: Kata['trainModel'] = (model, examples, { steps, seed, batchSize = 32 }) => {
  const draw = sampleBatch(examples, batchSize)
  let current = model
  const losses: number[] = [],
    learningRates: number[] = []
  for (let step = 0; step < steps; step++) {
    const [batch] = draw(seedRng(seed + step))
    const lr = learningRate(step, steps)
    const r = sgdStep(current, batch, lr)
    current = r.model
    losses.push(r.loss)
    learningRates.push(lr)
  }
  return { model: current, losses, learningRates }
}

export const mistake: Mistake = {
  lecture:
    "a generator seeded afresh at every step (seed + step): the batches look random, but the run is no longer one generator's stream as with the lecture's g",
  message: 'yours seeds a generator again at every step',
}
