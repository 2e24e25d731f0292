/**
 * Embedding: the lookup table C. Each context of `blockSize` character indices reads `blockSize`
 * rows of C and concatenates them into one row of blockSize * dim features (the lecture's
 * `emb = C[Xb]; embcat = emb.view(emb.shape[0], -1)`). Its backward adds each row's gradient back
 * into the row it was read from (ops' gatherBackward).
 */
import { gather, gatherBackward, type Indices } from '../../engine/ops.ts'
import { ShapeError } from '../../engine/tensor.ts'
import { standardNormal, type InitScheme } from '../init.ts'
import { noBuffers, type LayerOps, type Named } from './layer.ts'

export interface EmbeddingSpec {
  readonly kind: 'embedding'
  readonly vocabSize: number
  readonly dim: number
  /** Characters of context; the lookup's rows are concatenated into blockSize * dim features. */
  readonly blockSize: number
  readonly init: InitScheme
}

export const embedding = (
  vocabSize: number,
  dim: number,
  blockSize: number,
  init: InitScheme = standardNormal,
): EmbeddingSpec => ({ kind: 'embedding', vocabSize, dim, blockSize, init })

export const embeddingOps: LayerOps<Named<EmbeddingSpec>, Indices> = {
  params: (l) => [{ name: 'weight', shape: [l.vocabSize, l.dim], init: l.init, fanIn: l.vocabSize, isWeight: false }],
  buffers: noBuffers,
  outWidth: (l, _width, where, index) => {
    if (index !== 0) throw new ShapeError('model', `${where}: an embedding must come first`)
    return l.blockSize * l.dim
  },
  forward: (l, _x, { indices, param }) => {
    if (indices.length % l.blockSize !== 0)
      throw new ShapeError('embedding', `${indices.length} indices do not split into contexts of ${l.blockSize}`)
    const rows = gather(param('weight'), indices)
    return { out: { shape: [indices.length / l.blockSize, l.blockSize * l.dim], data: rows.data }, saved: indices }
  },
  // the first layer: no input gradient to pass on, only the table's
  backward: (l, indices, g) => ({
    dx: undefined,
    grads: { weight: gatherBackward([l.vocabSize, l.dim], indices, { shape: [indices.length, l.dim], data: g.data }) },
  }),
}
