/**
 * Reference answers for kata 02 (saturation). Each export has the type katas/02-saturation/types.ts
 * gives it, as the learner's must: the answer can be copied into katas/02-saturation/kata.ts as it
 * is.
 */
import type { Kata } from '../../katas/02-saturation/types.ts'
import { map, type Tensor } from '../../lib/engine/tensor.ts'

export const tanhLocalGradient: Kata['tanhLocalGradient'] = (t) => map(t, (v) => 1 - v * v)

export const saturationFraction: Kata['saturationFraction'] = (h, threshold = 0.99) => {
  let saturated = 0
  for (const v of h.data) if (Math.abs(v) > threshold) saturated += 1
  return saturated / h.data.length
}

/** The columns j of an [N, units] matrix for which `holds` is true of every row. */
const columnsWhereEveryRow = (t: Tensor, holds: (v: number) => boolean): number[] => {
  const [n, units] = t.shape
  const out: number[] = []
  for (let j = 0; j < units; j++) {
    let every = true
    for (let i = 0; i < n && every; i++) every = holds(t.data[i * units + j])
    if (every) out.push(j)
  }
  return out
}

export const deadUnits: Kata['deadUnits'] = (h, threshold = 0.99) =>
  columnsWhereEveryRow(h, (v) => Math.abs(v) > threshold)

export const reluLocalGradient: Kata['reluLocalGradient'] = (preact) => map(preact, (v) => (v > 0 ? 1 : 0))

export const deadReluUnits: Kata['deadReluUnits'] = (preact) => columnsWhereEveryRow(preact, (v) => v <= 0)

// emb is randn (std 1) over 30 inputs, so emb @ W1 + b1 has std sqrt(30 * w1² + b1²): the lecture's
// 0.2 and 0.01 give about 1.1, where 1 to 3 % of |tanh| exceed 0.99 (randn × 1 for both gives
// sqrt(31) ≈ 5.6 and about 60 %; W1 × 0.2 with b1 left at randn × 1 gives 1.5 and 6 to 9 %)
export const fixHiddenLayer: Kata['fixHiddenLayer'] = (scales) => ({ ...scales, w1: 0.2, b1: 0.01 })
