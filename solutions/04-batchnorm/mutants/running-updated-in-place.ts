/** Mutant: the running statistics blended in place, into the tensors the caller passed. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'

export * from '../kata.ts'

export const updateRunningStatistics: Kata['updateRunningStatistics'] = (running, batch, momentum) => {
  for (let j = 0; j < running.mean.data.length; j++) {
    running.mean.data[j] = (1 - momentum) * running.mean.data[j] + momentum * batch.mean.data[j]
    running.variance.data[j] = (1 - momentum) * running.variance.data[j] + momentum * batch.variance.data[j]
  }
  return running
}

export const mistake: Mistake = {
  lecture: "the running statistics written into the caller's tensors: nothing is mutated, a new value is returned",
  message: 'updateRunningStatistics changed its argument',
}
