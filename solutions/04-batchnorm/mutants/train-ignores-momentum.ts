/** Mutant: the running statistics moved by PyTorch's 0.1 whatever momentum the options give. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormEval, batchStatistics, updateRunningStatistics } from '../kata.ts'

export * from '../kata.ts'

export const batchNormTrain: Kata['batchNormTrain'] = (x, params, running, { eps }) => {
  const stats = batchStatistics(x)
  return { out: batchNormEval(x, params, stats, eps), running: updateRunningStatistics(running, stats, 0.1) }
}

export const mistake: Mistake = {
  lecture: "options.momentum ignored: the running statistics always move by PyTorch's 0.1",
  message: 'batchNormTrain: for',
}
