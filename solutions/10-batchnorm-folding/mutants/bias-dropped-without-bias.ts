/** Mutant: a Linear without bias keeps bias: false, so the folded b′ is never used. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import { sequential } from '../../../lib/model/nn.ts'
import { foldModel as reference } from '../kata.ts'

export * from '../kata.ts'

export const foldModel: Kata['foldModel'] = (model) => {
  const folded = reference(model)
  const hadBias = new Map(
    model.layers.filter((l) => l.kind === 'linear').map((l, k) => [k, l.kind === 'linear' && l.bias]),
  )
  let k = -1
  const layers = sequential(
    folded.layers.map(({ name: _, ...l }) => (l.kind === 'linear' ? { ...l, bias: hadBias.get(++k) ?? true } : l)),
  )
  const params = Object.fromEntries(
    Object.entries(folded.params).filter(([name]) => {
      const layer = layers.find((l) => name.startsWith(`${l.name}.`))
      return !(name.endsWith('.bias') && layer?.kind === 'linear' && !layer.bias)
    }),
  )
  return { layers, params, buffers: {} }
}

export const mistake: Mistake = {
  lecture: 'a Linear without bias left without one after folding: the folded b′ (−mean · s + beta) is thrown away',
  message: 'a Linear without bias folds too',
}
