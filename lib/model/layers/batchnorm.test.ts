import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tensorOf } from '../../engine/arbitraries.ts'
import { maxVjpError } from '../../engine/gradcheck.ts'
import {
  add,
  addBackward,
  div,
  divBackward,
  mean,
  meanBackward,
  mul,
  mulBackward,
  sqrt,
  sqrtBackward,
  sub,
  subBackward,
  variance,
  varianceBackward,
} from '../../engine/ops.ts'
import type { Tensor } from '../../engine/tensor.ts'
import { batchNormForwardSimd } from '../../engine/kernels/gemm.ts'
import { batchNormBackward, batchNormForward } from './batchnorm.ts'

const EPS = 1e-5

/**
 * BatchNorm as the chain of ops it fuses, each step with its verified backward: the derivation at
 * the top of batchnorm.ts, written as code.
 */
const unfused = (x: Tensor, gamma: Tensor, beta: Tensor) => {
  const mu = mean(x, 0),
    xc = sub(x, mu),
    v = variance(x, 0),
    eps: Tensor = { shape: [1, 1], data: Float64Array.of(EPS) },
    ve = add(v, eps),
    sd = sqrt(ve),
    xhat = div(xc, sd),
    scaled = mul(xhat, gamma),
    out = add(scaled, beta)
  const backward = (g: Tensor) => {
    const [dScaled, dbeta] = addBackward(scaled, beta, g)
    const [dxhat, dgamma] = mulBackward(xhat, gamma, dScaled)
    const [dxc, dsd] = divBackward(xc, sd, dxhat)
    const [dv] = addBackward(v, eps, sqrtBackward(sd, dsd))
    const [dxDirect, dmu] = subBackward(x, mu, dxc)
    const dx = add(add(dxDirect, meanBackward(x, 0, dmu)), varianceBackward(x, 0, dv))
    return { dx, dgamma, dbeta }
  }
  return { out, backward }
}

/** The fused forward and backward: the WebAssembly kernel, or with `loops` the plain loops it mirrors. */
const fused = (x: Tensor, gamma: Tensor, beta: Tensor, loops = false) => {
  const n = x.shape[1]
  const stats = (v: number): Tensor => ({ shape: [1, n], data: new Float64Array(n).fill(v) })
  const r = batchNormForward({ eps: EPS, momentum: 0.1 }, x, gamma, beta, stats(0), stats(1), true, { loops })
  return { out: r.out, backward: (g: Tensor) => batchNormBackward(r.cache, gamma, g, { loops }) }
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  expect(a.length, what).toBe(b.length)
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect.fail(`${what}[${i}]: ${a[i]} != ${b[i]}`)
}

const close = (a: Tensor, b: Tensor, what: string) => {
  expect(a.data.length, what).toBe(b.data.length)
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i]), what).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(b.data[i]))))
}

/** A batch (at least `rows` rows, up to 5 features) with gamma, beta and an incoming gradient. */
const batchOf = (rows: number) =>
  fc
    .tuple(fc.integer({ min: rows, max: 7 }), fc.integer({ min: 1, max: 5 }))
    .chain(([m, n]) => fc.tuple(tensorOf([m, n], 3), tensorOf([n]), tensorOf([n]), tensorOf([m, n])))
const batch = batchOf(2)

describe('BatchNorm: the fused loops', () => {
  it.each([
    ['the WebAssembly kernel', false],
    ['the plain loops', true],
  ])('%s give what the chain of verified ops gives, forward and backward', (_, loops) => {
    fc.assert(
      fc.property(batch, ([x, gamma, beta, g]) => {
        const a = fused(x, gamma, beta, loops),
          b = unfused(x, gamma, beta)
        close(a.out, b.out, 'out')
        const da = a.backward(g),
          db = b.backward(g)
        close(da.dx, db.dx, 'dx')
        close(da.dgamma, db.dgamma, 'dgamma')
        close(da.dbeta, db.dbeta, 'dbeta')
      }),
      { numRuns: 100 },
    )
  })
  it('the WebAssembly kernel gives the bits of the plain loops: outputs, statistics and gradients, any width', () => {
    expect(batchNormForwardSimd, 'WebAssembly SIMD is available here').toBeDefined()
    const shapes = fc.tuple(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 33 }))
    fc.assert(
      fc.property(
        shapes.chain(([m, n]) =>
          fc.tuple(
            tensorOf([m, n], 3),
            tensorOf([n]),
            tensorOf([n]),
            tensorOf([m, n]),
            tensorOf([1, n]),
            tensorOf([1, n]),
          ),
        ),
        ([x, gamma, beta, g, rm, rv]) => {
          const l = { eps: EPS, momentum: 0.1 }
          const k = batchNormForward(l, x, gamma, beta, rm, rv, true)
          const p = batchNormForward(l, x, gamma, beta, rm, rv, true, { loops: true })
          sameBits(k.out.data, p.out.data, 'out')
          sameBits(k.cache.xhat, p.cache.xhat, 'xhat')
          sameBits(k.cache.invStd, p.cache.invStd, 'invStd')
          sameBits(k.runningMean.data, p.runningMean.data, 'runningMean')
          sameBits(k.runningVar.data, p.runningVar.data, 'runningVar')
          const kb = batchNormBackward(k.cache, gamma, g),
            pb = batchNormBackward(p.cache, gamma, g, { loops: true })
          sameBits(kb.dx.data, pb.dx.data, 'dx')
          sameBits(kb.dgamma.data, pb.dgamma.data, 'dgamma')
          sameBits(kb.dbeta.data, pb.dbeta.data, 'dbeta')
        },
      ),
      { numRuns: 200 },
    )
  })
  it('backward matches central differences for x, gamma and beta', () => {
    fc.assert(
      // with two rows x̂ is ±1 whatever x is, so dx is only eps's correction: nothing for central differences to see
      fc.property(batchOf(3), ([x, gamma, beta, g]) => {
        // where a feature barely varies, 1/√(var + eps) is steep and central differences lose their digits
        fc.pre(variance(x, 0).data.every((v) => v > 1e-2))
        // a cotangent near zero leaves only rounding noise to compare
        fc.pre(g.data.reduce((a, v) => a + v * v, 0) > 1e-2)
        const err = maxVjpError(
          ([xx, gg, bb]) => fused(xx, gg, bb).out,
          ([xx, gg, bb], dy) => {
            const r = fused(xx, gg, bb).backward(dy)
            return [r.dx, r.dgamma, r.dbeta]
          },
          [x, gamma, beta],
          g,
        )
        expect(err).toBeLessThan(1e-6)
      }),
      { numRuns: 60 },
    )
  })
})
