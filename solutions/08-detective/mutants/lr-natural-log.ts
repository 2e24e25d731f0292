/** Mutant: update:data read on the natural log, where the thresholds are in log10. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'
import { median, moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

export const learningRateVerdict: Kata['learningRateVerdict'] = (c) => {
  const linears = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  const judged = linears.length > 1 ? linears.slice(0, -1) : linears
  const ratios = judged
    .map((w) => Math.log((c.lr * moments(c.trace.paramGrads[w].data).std) / moments(c.params[w].data).std))
    .filter(Number.isFinite)
  if (ratios.length === 0) return 'about right'
  const m = median(ratios)
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const mistake: Mistake = {
  lecture:
    "update:data on the natural log: the lecture's -3 is log10 (one part in a thousand); ln of 1e-3 is -6.9, so a healthy rate reads as too low",
  message: 'the natural log (ln) of update:data (the thresholds -2 and -4 are in log10)',
}
