/** Mutant: cross-entropy as -ln of the softmax probability, which underflows to 0 for extreme logits. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'
import { softmax } from '../kata.ts'

export * from '../kata.ts'

export const crossEntropy: Kata['crossEntropy'] = (logits, targets) => {
  const [m, n] = logits.shape
  const p = softmax(logits)
  let nll = 0
  for (let i = 0; i < m; i++) nll -= Math.log(p.data[i * n + targets[i]])
  return nll / m
}

export const mistake: Mistake = {
  lecture:
    'cross-entropy taken as -ln(softmax(logits)[target]): for logits of ±1e4 the probability underflows to 0 and the loss is -ln 0 = Infinity instead of 1e4',
  message: 'compute -ln p from the logits (log-sum-exp)',
}
