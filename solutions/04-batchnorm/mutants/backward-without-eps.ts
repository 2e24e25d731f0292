/** Mutant: the backward's xhat and factor use 1/√variance, forgetting the eps the forward normalised with. */
import type { Mistake } from '../../../lib/course/kata.ts'
import type { Kata } from '../../../katas/04-batchnorm/types.ts'
import { batchNormBackward as fullBackward } from '../kata.ts'

export * from '../kata.ts'

export const batchNormBackward: Kata['batchNormBackward'] = (x, gamma, dout) => fullBackward(x, gamma, dout, 0)

export const mistake: Mistake = {
  lecture:
    'BatchNorm backward with xhat = (x - mean) / √var, without the eps of the forward: dgamma and dx are off by a factor of about 1 - eps/(2 var)',
  message: 'as if eps were 0',
}
