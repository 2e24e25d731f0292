/** Mutant: the schedule is recorded in learningRates, but every step applies 0.1. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/07-training/types.ts'
import { sampleBatch } from '../../../lib/model/data.ts'
import { type RngState, seedRng } from '../../../lib/engine/random.ts'
import { learningRate, sgdStep } from '../kata.ts'

export * from '../kata.ts'

export const trainModel: Kata['trainModel'] = (model, examples, { steps, seed, batchSize = 32 }) => {
  const draw = sampleBatch(examples, batchSize)
  let s: RngState = seedRng(seed)
  let current = model
  const losses: number[] = [],
    learningRates: number[] = []
  for (let step = 0; step < steps; step++) {
    const [batch, next] = draw(s)
    s = next
    const r = sgdStep(current, batch, 0.1)
    current = r.model
    losses.push(r.loss)
    learningRates.push(learningRate(step, steps))
  }
  return { model: current, losses, learningRates }
}

export const mistake: Mistake = {
  lecture:
    "the learning-rate decay written down but not applied: the History says 0.01 after half the steps while every step still moves by 0.1 (the lecture's lr = 0.1 if i < 100000 else 0.01 must reach the update)",
  message: 'each step must apply the learning rate it records',
}
