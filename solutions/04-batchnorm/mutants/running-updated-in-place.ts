/** Mutant: the running statistics blended in place, into the tensors the caller passed. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/04-batchnorm/kata.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import * as S from '../kata.ts'

export * from '../kata.ts'
const vec = (data: Float64Array): Tensor => ({ shape: [data.length], data })
const norm = (
  x: Tensor,
  g: (j: number) => number,
  b: (j: number) => number,
  s: Kata.Statistics,
  eps: number,
): Tensor => {
  const [, f] = x.shape
  return {
    shape: [...x.shape],
    data: x.data.map(
      (v, k) => g(k % f) * ((v - s.mean.data[k % f]) / Math.sqrt(s.variance.data[k % f] + eps)) + b(k % f),
    ),
  }
}

export const updateRunningStatistics: typeof Kata.updateRunningStatistics = (running, batch, momentum) => {
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
