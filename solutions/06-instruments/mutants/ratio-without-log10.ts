/** Mutant: update:data returned as the plain ratio, not its log10. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'
import { gradToDataRatio } from '../kata.ts'

export * from '../kata.ts'

export const updateToDataRatio: Kata['updateToDataRatio'] = (lr, grad, param) => lr * gradToDataRatio(grad, param)

export const mistake: Mistake = {
  lecture:
    'update:data left as the plain ratio (about 0.001) instead of its log10 (about -3): the chart the lecture reads, and its -3 guide line, are on a log scale',
  message: 'updateToDataRatio is the log10 of std(lr · grad) / std(param)',
}
