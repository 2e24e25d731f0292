/** Mutant: each count divided by the vocabulary size instead of the number of targets. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/09-zero-init/types.ts'

export * from '../kata.ts'

export const unigramLoss: Kata['unigramLoss'] = (targets, vocabSize) => {
  const counts = new Float64Array(vocabSize)
  for (let i = 0; i < targets.length; i++) counts[targets[i]] += 1
  let loss = 0
  for (const c of counts) if (c > 0) loss -= (c / vocabSize) * Math.log(c / vocabSize)
  return loss
}

export const mistake: Mistake = {
  lecture: 'p = count / V: a frequency is the share of the targets, count / N',
  message: 'unigramLoss: for targets',
}
