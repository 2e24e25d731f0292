/** Mutant: the entropy in bits (log2) instead of nats (ln). */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const unigramLoss: Kata['unigramLoss'] = (targets, vocabSize) => {
  const counts = new Float64Array(vocabSize)
  for (let i = 0; i < targets.length; i++) counts[targets[i]] += 1
  let loss = 0
  for (const c of counts) if (c > 0) loss -= (c / targets.length) * Math.log2(c / targets.length)
  return loss
}

export const mistake: Mistake = {
  lecture: 'log2 for ln: the loss of the lecture is in nats (ln 27 ≈ 3.2958 at a uniform guess)',
  message: 'unigramLoss: for targets',
}
