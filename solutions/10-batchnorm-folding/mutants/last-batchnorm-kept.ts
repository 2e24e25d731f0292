/** Mutant: a BatchNorm at the end of the network (the deep net's output one) is left unfolded. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import { foldModel as reference } from '../kata.ts'

export * from '../kata.ts'

export const foldModel: Kata['foldModel'] = (model) => {
  const last = model.layers.at(-1)
  if (last?.kind !== 'batchnorm') return reference(model)
  const body = reference({ ...model, layers: model.layers.slice(0, -1) })
  const keep = (name: string) => name.startsWith(`${last.name}.`)
  return {
    layers: [...body.layers, last],
    params: { ...body.params, ...Object.fromEntries(Object.entries(model.params).filter(([n]) => keep(n))) },
    buffers: Object.fromEntries(Object.entries(model.buffers).filter(([n]) => keep(n))),
  }
}

export const mistake: Mistake = {
  lecture:
    "the deep net's last BatchNorm (after the output Linear) left in place: the model still carries a BatchNorm and its statistics",
  message: 'every BatchNorm folded into the Linear before it',
}
