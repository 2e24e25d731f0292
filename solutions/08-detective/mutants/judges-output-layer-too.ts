/** Mutant: the learning rate judged on every Linear weight, the output layer's included. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

export const learningRateVerdict: Kata['learningRateVerdict'] = (c) => {
  const weights = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  const ratios = weights
    .map((w) => Math.log10((c.lr * moments(c.trace.paramGrads[w].data).std) / moments(c.params[w].data).std))
    .filter(Number.isFinite)
    .sort((a, b) => a - b)
  const h = ratios.length >> 1
  const m = ratios.length % 2 === 1 ? ratios[h] : (ratios[h - 1] + ratios[h]) / 2
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const mistake: Mistake = {
  lecture:
    "the output layer's weights counted when judging the learning rate: they start small on purpose (× 0.01), so their update:data is high by construction, the lecture's outlier line",
  message: 'judge the learning rate on the hidden weights',
}
