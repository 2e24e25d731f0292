/** Mutant: the training loop never carries the generator's state forward, so every step draws the same minibatch. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { learningRate, sgdStep } from '../kata.ts'
import { sampleBatch } from '../../../lib/model/data.ts'
import { seedRng } from '../../../lib/engine/random.ts'

export * from '../kata.ts'

export const trainModel: Kata['trainModel'] = (model, examples, { steps, seed, batchSize = 32 }) => {
  const draw = sampleBatch(examples, batchSize)
  const s = seedRng(seed)
  let current = model
  const losses: number[] = [],
    learningRates: number[] = []
  for (let step = 0; step < steps; step++) {
    const [batch] = draw(s)
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
    "one minibatch for the whole run: the generator's state is never carried forward, so every step draws the same examples and the net learns them by heart",
  message: "draw a new minibatch each step, carrying the generator's state forward",
}
