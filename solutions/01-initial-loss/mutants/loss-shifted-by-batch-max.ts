/** Mutant: the log-sum-exp shifted by the largest logit of the whole batch instead of each row's own max. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'

export * from '../kata.ts'

export const crossEntropy: Kata['crossEntropy'] = (logits, targets) => {
  const [m, n] = logits.shape
  const x = logits.data
  let max = -Infinity
  for (const v of x) if (v > max) max = v
  let nll = 0
  for (let i = 0; i < m; i++) {
    let total = 0
    for (let j = 0; j < n; j++) total += Math.exp(x[i * n + j] - max)
    nll += Math.log(total) + max - x[i * n + targets[i]]
  }
  return nll / m
}

export const mistake: Mistake = {
  lecture:
    "one max for the whole batch in the log-sum-exp: a row whose own logits sit far below the batch's largest underflows to exp(...) = 0 and costs -ln 0; each row is its own softmax and needs its own max",
  message: 'each row needs its own max',
}
