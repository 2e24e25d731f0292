/**
 * Matmul speed on the shapes the lecture's MLP multiplies every step (batch 32, 30 inputs,
 * 200 hidden units, 27 outputs), forward and backward forms, in GFLOP/s (2*m*k*n per call).
 * Each kernel is called with the strides lib/engine/ops.ts gives it for that form.
 */
import type { Gemm } from '../lib/engine/kernels/gemm.ts'
import { evalRng, randnTensor } from '../lib/engine/random.ts'
import { timeIt } from './measure.ts'

export interface MatmulResult {
  readonly name: string
  readonly m: number
  readonly k: number
  readonly n: number
  readonly gflops: number
}

const cases = [
  { name: 'X@W1 (forward)', form: 'NN', m: 32, k: 30, n: 200 },
  { name: 'H@W2 (forward)', form: 'NN', m: 32, k: 200, n: 27 },
  { name: 'dH=dLogits@W2^T', form: 'NT', m: 32, k: 27, n: 200 },
  { name: 'dW2=H^T@dLogits', form: 'TN', m: 200, k: 32, n: 27 },
  { name: 'dX=dPre@W1^T', form: 'NT', m: 32, k: 200, n: 30 },
  { name: 'dW1=X^T@dPre', form: 'TN', m: 30, k: 32, n: 200 },
] as const

export const benchMatmul = (kernel: Gemm): { cases: MatmulResult[]; overallGflops: number } => {
  let flops = 0,
    seconds = 0
  const results = cases.map(({ name, form, m, k, n }, i) => {
    // operands are stored the way each form reads them
    const a = evalRng(randnTensor(form === 'TN' ? [k, m] : [m, k]), i).data
    const b = evalRng(randnTensor(form === 'NT' ? [n, k] : [k, n]), 100 + i).data
    const f =
      form === 'NN'
        ? () => kernel(a, k, 1, b, n, 1, m, k, n)
        : form === 'NT'
          ? () => kernel(a, k, 1, b, 1, k, m, k, n)
          : () => kernel(a, 1, m, b, n, 1, m, k, n)
    const t = timeIt(f)
    flops += 2 * m * k * n
    seconds += t.seconds
    return { name, m, k, n, gflops: (2 * m * k * n) / t.seconds / 1e9 }
  })
  return { cases: results, overallGflops: flops / seconds / 1e9 }
}
