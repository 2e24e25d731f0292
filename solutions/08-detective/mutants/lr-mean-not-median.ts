/** Mutant: the learning rate judged by the mean of the hidden weights' log10 update:data, not the median. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

export const learningRateVerdict: Kata['learningRateVerdict'] = (c) => {
  const linears = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  const judged = linears.length > 1 ? linears.slice(0, -1) : linears
  const ratios = judged
    .map((w) => Math.log10((c.lr * moments(c.trace.paramGrads[w].data).std) / moments(c.params[w].data).std))
    .filter(Number.isFinite)
  if (ratios.length === 0) return 'about right'
  const m = ratios.reduce((s, r) => s + r, 0) / ratios.length
  return m > -2 ? 'too high' : m < -4 ? 'too low' : 'about right'
}

export const mistake: Mistake = {
  lecture:
    'update:data averaged over the weights instead of its median: one odd layer (weights started tiny or huge) drags the mean across the threshold while most layers are fine',
  message: 'the mean of the log10 ratios (the rule takes their median)',
}
