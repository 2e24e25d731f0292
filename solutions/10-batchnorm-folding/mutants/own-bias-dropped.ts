/** Mutant: foldModel hands foldBatchNorm the Linear's weight alone, so the Linear's own bias never reaches b′. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import { foldModel as reference } from '../kata.ts'

export * from '../kata.ts'

export const foldModel: Kata['foldModel'] = (model) => {
  const beforeBatchNorm = new Set(
    model.layers
      .filter((l, i) => l.kind === 'linear' && model.layers[i + 1]?.kind === 'batchnorm')
      .map((l) => `${l.name}.bias`),
  )
  const params = Object.fromEntries(
    Object.entries(model.params).map(([name, t]) => [
      name,
      beforeBatchNorm.has(name) ? { shape: t.shape, data: new Float64Array(t.data.length) } : t,
    ]),
  )
  return reference({ ...model, params })
}

export const mistake: Mistake = {
  lecture: "the Linear's own bias dropped from the fold: b′ = −mean · s + beta where it is (b − mean) · s + beta",
  message: "leaves out the Linear's own bias b",
}
