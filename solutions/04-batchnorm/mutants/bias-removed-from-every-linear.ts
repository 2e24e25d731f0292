/** Mutant: removeBiasBeforeBatchNorm takes the bias of every Linear, the output layer's too. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'

export * from '../kata.ts'

export const removeBiasBeforeBatchNorm: Kata['removeBiasBeforeBatchNorm'] = (layers) =>
  layers.map((layer) => (layer.kind === 'linear' ? { ...layer, bias: false } : layer))

export const mistake: Mistake = {
  lecture:
    "the bias removed from every Linear, the output layer's too: only a bias followed by BatchNorm is cancelled by the batch mean, and nothing cancels the output layer's",
  message: "the output layer's bias is not cancelled by anything",
}
