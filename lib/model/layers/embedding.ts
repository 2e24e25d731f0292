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
  // gather's and gatherBackward's loops on the arena's slots
  plan: (l, { arena, rows, out, outGrad, param, grad }) => {
    const { vocabSize: v, dim: d, blockSize } = l
    return () => {
      const table = arena.view(param('weight')),
        o = arena.view(out),
        g = arena.view(outGrad),
        dTable = arena.view(grad('weight'))
      let last: Indices = []
      return {
        forward: (indices) => {
          if (indices.length !== rows * blockSize)
            throw new ShapeError(
              'embedding',
              `${indices.length} indices for a plan of ${rows} contexts of ${blockSize}`,
            )
          for (let r = 0; r < indices.length; r++) {
            const ix = indices[r]
            if (!(ix >= 0 && ix < v && Number.isInteger(ix)))
              throw new ShapeError('gather', `index ${ix} at position ${r} is outside the table's ${v} rows`)
            for (let c = 0, src = ix * d, dst = r * d; c < d; c++) o[dst + c] = table[src + c]
          }
          last = indices
        },
        backward: () => {
          dTable.fill(0)
          for (let r = 0; r < last.length; r++)
            for (let c = 0, dst = last[r] * d, src = r * d; c < d; c++) dTable[dst + c] += g[src + c]
        },
      }
    }
  },
}
