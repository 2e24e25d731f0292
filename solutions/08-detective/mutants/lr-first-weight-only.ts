/** Mutant: the learning rate judged on the first Linear's weight alone */
import type { Mistake } from '../../../lib/course/kata.ts'
import type * as Kata from '../../../katas/08-detective/types.ts'
import { moments } from '../../../lib/instruments/diagnostics.ts'

export * from '../kata.ts'

const lrVerdict = (
  c: Kata.Case,
  pick: (ws: string[]) => string[],
  middle: (s: number[]) => number,
  high: number,
  low: number,
): Kata.LearningRateVerdict => {
  const ws = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  const rs = pick(ws)
    .map((w) => Math.log10((c.lr * moments(c.trace.paramGrads[w].data).std) / moments(c.params[w].data).std))
    .filter(Number.isFinite)
    .sort((a, b) => a - b)
  if (rs.length === 0) return 'about right'
  const m = middle(rs)
  return m > high ? 'too high' : m < low ? 'too low' : 'about right'
}
const _hidden = (ws: string[]) => (ws.length > 1 ? ws.slice(0, -1) : ws)
const median = (s: number[]) =>
  s.length % 2 === 1 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2

export const learningRateVerdict: Kata.Kata['learningRateVerdict'] = (c) =>
  lrVerdict(c, (ws) => ws.slice(0, 1), median, -2, -4)

export const mistake: Mistake = {
  lecture: "the learning rate judged on the first Linear's weight alone",
  message: 'their median above -2 is too high',
}
