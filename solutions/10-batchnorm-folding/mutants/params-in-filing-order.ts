/** Mutant: each kept layer's parameters taken in the order model.params files them (a bias filed first lands in weight). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/10-batchnorm-folding/types.ts'
import type { Tensor } from '../../../lib/engine/tensor.ts'
import { sequential, type Layer, type LayerSpec } from '../../../lib/model/nn.ts'
import { foldBatchNorm } from '../kata.ts'

export * from '../kata.ts'

export const foldModel: Kata['foldModel'] = (model) => {
  const specs: LayerSpec[] = []
  const tensors: Tensor[][] = [] // each new layer's parameters, in describeParams' order
  const layers = model.layers
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]
    const next: Layer | undefined = layers[i + 1]
    const own = (p: string): Tensor => model.params[`${l.name}.${p}`]
    if (l.kind === 'linear' && next?.kind === 'batchnorm') {
      const folded = foldBatchNorm(
        { weight: own('weight'), bias: l.bias ? own('bias') : undefined },
        {
          gamma: model.params[`${next.name}.gamma`],
          beta: model.params[`${next.name}.beta`],
          runningMean: model.buffers[`${next.name}.runningMean`],
          runningVar: model.buffers[`${next.name}.runningVar`],
          eps: next.eps,
        },
      )
      const { name: _, ...spec } = l
      specs.push({ ...spec, bias: true })
      tensors.push([folded.weight, folded.bias])
      i += 1 // the BatchNorm is now part of this Linear
    } else if (l.kind !== 'batchnorm') {
      const { name: _, ...spec } = l
      specs.push(spec as LayerSpec)
      tensors.push(
        Object.keys(model.params)
          .filter((k) => k.startsWith(`${l.name}.`))
          .map((k) => model.params[k]),
      )
    } else {
      throw new Error(`${l.name} does not follow a Linear layer: there is nothing to fold it into`)
    }
  }
  const named = sequential(specs)
  const params: Record<string, Tensor> = {}
  named.forEach((l, k) => {
    const names =
      l.kind === 'embedding' ? ['weight'] : l.kind === 'linear' ? (l.bias ? ['weight', 'bias'] : ['weight']) : []
    names.forEach((p, q) => {
      params[`${l.name}.${p}`] = tensors[k][q]
    })
  })
  return { layers: named, params, buffers: {} }
}

export const mistake: Mistake = {
  lecture:
    'parameters matched to their names by where model.params files them: a model may file a bias before its weight',
  message: 'foldModel: for model',
}
