/**
 * Reference answers for kata 10 (BatchNorm folding). Each export has the type
 * katas/10-batchnorm-folding/types.ts gives it, as the learner's must: the answer can be copied
 * into katas/10-batchnorm-folding/kata.ts as it is.
 */
import type { Kata } from '../../katas/10-batchnorm-folding/types.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import { sequential, type Layer, type LayerSpec } from '../../lib/model/nn.ts'

export const foldBatchNorm: Kata['foldBatchNorm'] = ({ weight, bias }, bn) => {
  const [fanIn, fanOut] = weight.shape
  const s = new Float64Array(fanOut)
  for (let j = 0; j < fanOut; j++) s[j] = bn.gamma.data[j] / Math.sqrt(bn.runningVar.data[j] + bn.eps)
  const w = new Float64Array(fanIn * fanOut)
  for (let i = 0; i < fanIn; i++)
    for (let j = 0; j < fanOut; j++) w[i * fanOut + j] = weight.data[i * fanOut + j] * s[j]
  const b = new Float64Array(fanOut)
  for (let j = 0; j < fanOut; j++) b[j] = ((bias?.data[j] ?? 0) - bn.runningMean.data[j]) * s[j] + bn.beta.data[j]
  return { weight: { shape: [fanIn, fanOut], data: w }, bias: { shape: [fanOut], data: b } }
}

/** The parameters a layer that stays owns, in describeParams' order. */
const paramNames = (l: LayerSpec): string[] =>
  l.kind === 'embedding' ? ['weight'] : l.kind === 'linear' ? (l.bias ? ['weight', 'bias'] : ['weight']) : []

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
      // by name, not by where they are filed in model.params (a model may file a bias before its weight)
      tensors.push(paramNames(l).map((p) => own(p)))
    } else {
      throw new Error(`${l.name} does not follow a Linear layer: there is nothing to fold it into`)
    }
  }
  const named = sequential(specs)
  const params: Record<string, Tensor> = {}
  named.forEach((l, k) => {
    paramNames(l).forEach((p, q) => {
      params[`${l.name}.${p}`] = tensors[k][q]
    })
  })
  return { layers: named, params, buffers: {} }
}
