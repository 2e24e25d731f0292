/** Mutant: the running statistics keep `momentum` of the old value and take 1 - momentum of the batch. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'

export * from '../kata.ts'

export const updateRunningStatistics: Kata['updateRunningStatistics'] = (running, batch, momentum) => {
  const blend = (r: Tensor, b: Tensor): Tensor => ({
    shape: r.shape,
    data: r.data.map((v, j) => momentum * v + (1 - momentum) * b.data[j]),
  })
  return { mean: blend(running.mean, batch.mean), variance: blend(running.variance, batch.variance) }
}

export const mistake: Mistake = {
  lecture:
    "momentum read as the weight of the old running value (the lecture's 0.999) where PyTorch's momentum (0.1) is the weight of the new batch",
  message: 'momentum is the weight of the NEW batch',
}
