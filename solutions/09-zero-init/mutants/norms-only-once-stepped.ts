/** Mutant: the gradient norm series made on the first step, so a run of 0 steps records none. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'
import { seedRng } from '../../../lib/engine/random.ts'
import { sampleBatch } from '../../../lib/model/data.ts'
import { sgdStep } from '../../../lib/model/train.ts'
import { gradientNorms } from '../kata.ts'

export * from '../kata.ts'

export const trainRecorded: Kata['trainRecorded'] = (model, examples, { steps, lr, batchSize, seed }) => {
  let state = { model, step: 0 },
    rng = seedRng(seed)
  const losses: number[] = []
  const gradNorms: Record<string, number[]> = {}
  for (let i = 0; i < steps; i++) {
    const [batch, next] = sampleBatch(examples, batchSize)(rng)
    rng = next
    const r = sgdStep(state, batch, lr)
    losses.push(r.trace.loss)
    for (const [name, norm] of Object.entries(gradientNorms(r.trace.paramGrads))) {
      if (gradNorms[name] === undefined) gradNorms[name] = []
      gradNorms[name].push(norm)
    }
    state = r.state
  }
  return { model: state.model, losses, gradNorms }
}

export const mistake: Mistake = {
  lecture: 'a norm series for every parameter even before the first step: 0 steps record an empty series each',
  message: 'trainRecorded: for model',
}
