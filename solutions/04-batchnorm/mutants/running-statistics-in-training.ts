/** Mutant: training mode normalises with the running statistics instead of the batch's own. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormEval, batchStatistics, updateRunningStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormTrain: Kata['batchNormTrain'] = (x, params, running, { eps, momentum }) => ({
  out: batchNormEval(x, params, running, eps),
  running: updateRunningStatistics(running, batchStatistics(x), momentum),
})

export const mistake: Mistake = {
  lecture:
    "BatchNorm using its running statistics during training: the batch is not normalised (its mean and std are not beta and gamma), and the running averages lag far behind the batch's",
  message: 'not the running statistics',
}
