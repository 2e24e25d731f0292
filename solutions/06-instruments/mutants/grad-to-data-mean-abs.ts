/** Mutant: grad:data as the mean absolute gradient over the mean absolute parameter. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/06-instruments/types.ts'

export * from '../kata.ts'

const meanAbs = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += Math.abs(xs[i])
  return s / xs.length
}
export const gradToDataRatio: Kata['gradToDataRatio'] = (grad, param) => meanAbs(grad.data) / meanAbs(param.data)

export const mistake: Mistake = {
  lecture: 'mean |x| for the scale, where the lecture reads the std',
  message: 'gradToDataRatio: for grad',
}
