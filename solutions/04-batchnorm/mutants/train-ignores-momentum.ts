/** Mutant: the running statistics moved by PyTorch's 0.1 whatever momentum the options give. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/04-batchnorm/kata.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import * as S from '../kata.ts'

export * from '../kata.ts'
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

export const batchNormTrain: typeof Kata.batchNormTrain = (x, params, running, { eps }) => {
  const st = S.batchStatistics(x)
  return {
    out: norm(
      x,
      (j) => params.gamma.data[j],
      (j) => params.beta.data[j],
      st,
      eps,
    ),
    running: S.updateRunningStatistics(running, st, 0.1),
  }
}

export const mistake: Mistake = {
  lecture: "options.momentum ignored: the running statistics always move by PyTorch's 0.1",
  message: 'batchNormTrain: for',
}
