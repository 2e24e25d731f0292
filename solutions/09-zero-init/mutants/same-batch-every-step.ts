/** Mutant: every step trains on the same batch, drawn afresh from seedRng(seed). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { evalRng } from '../../../lib/engine/random.ts'
import { sampleBatch } from '../../../lib/model/data.ts'
import { sgdStep } from '../../../lib/model/train.ts'
import { gradientNorms } from '../kata.ts'

export * from '../kata.ts'

export const trainRecorded: Kata['trainRecorded'] = (model, examples, { steps, lr, batchSize, seed }) => {
  let state = { model, step: 0 }
  const losses: number[] = []
  const gradNorms: Record<string, number[]> = Object.fromEntries(Object.keys(model.params).map((n) => [n, []]))
  for (let i = 0; i < steps; i++) {
    const r = sgdStep(state, evalRng(sampleBatch(examples, batchSize), seed), lr)
    losses.push(r.trace.loss)
    for (const [name, norm] of Object.entries(gradientNorms(r.trace.paramGrads))) gradNorms[name].push(norm)
    state = r.state
  }
  return { model: state.model, losses, gradNorms }
}

export const mistake: Mistake = {
  lecture: 'the generator reseeded every step: the same minibatch over and over',
  message: 'the batch drawn from the state the previous draw returned',
}
