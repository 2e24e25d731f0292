/** Mutant: softmax as exp(x) / sum exp(x), without subtracting the row's max first. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/01-initial-loss/types.ts'

export * from '../kata.ts'

export const softmax: Kata['softmax'] = (logits) => {
  const [m, n] = logits.shape
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    let total = 0
    for (let j = 0; j < n; j++) total += out[i * n + j] = Math.exp(logits.data[i * n + j])
    for (let j = 0; j < n; j++) out[i * n + j] /= total
  }
  return { shape: [m, n], data: out }
}

export const mistake: Mistake = {
  lecture:
    "softmax computed as exp(x) / sum exp(x) without subtracting the row's max: exp(1000) overflows to Infinity and the probabilities become NaN",
  message: "subtract the row's max before exp",
}
