/**
 * BatchNorm1d: normalise each feature over the batch, then scale by gamma and shift by beta.
 *
 *   mean = Σᵢ xᵢ / N      var = Σᵢ (xᵢ - mean)² / N      x̂ = (x - mean) / √(var + eps)      y = γ x̂ + β
 *
 * Its forward and backward are fused loops rather than a chain of ops: the chain (sub, mean,
 * variance, add, sqrt, div, mul, each with its verified backward) allocates a tensor per step, and
 * the whole backward collapses to one line. With dx̂ = γ dy, the batch statistics' dependence on
 * every xᵢ gives
 *
 *   dx = invStd / N · (N dx̂ - Σ dx̂ - x̂ Σ (dx̂ x̂)),   invStd = 1 / √(var + eps)
 *
 * and since Σ dx̂ = γ dβ and Σ dx̂ x̂ = γ dγ, the backward needs only dβ and dγ. batchnorm.test.ts
 * checks both loops against that chain of ops and the gradient against central differences.
 */
import { batchNormBackwardSimd, batchNormForwardSimd } from '../../engine/kernels/gemm.ts'
import { bytes, type Slot } from '../../engine/kernels/arena.ts'
import { ShapeError, showShape, type Tensor } from '../../engine/tensor.ts'
import { constant, zerosInit, type InitScheme } from '../init.ts'
import { requireInput, type LayerOps, type Named } from './layer.ts'

export interface BatchNormSpec {
  readonly kind: 'batchnorm'
  readonly dim: number
  readonly eps: number
  /** Weight of the new batch in the running statistics: running = (1 - m) running + m batch. */
  readonly momentum: number
  readonly gammaInit: InitScheme
}

/** Normalises each feature over the batch, then scales by gamma and shifts by beta. */
export const batchNorm1d = (
  dim: number,
  {
    eps = 1e-5,
    momentum = 0.1,
    gammaInit = constant(1),
  }: { eps?: number; momentum?: number; gammaInit?: InitScheme } = {},
): BatchNormSpec => ({ kind: 'batchnorm', dim, eps, momentum, gammaInit })

/** What the backward needs from the forward. */
export interface BatchNormCache {
  readonly xhat: Float64Array
  readonly invStd: Float64Array
}

/**
 * BatchNorm forward. In training: normalise with this batch's mean and biased variance (as
 * torch.nn.BatchNorm1d does) and move the running statistics towards the batch's (the running
 * variance takes the unbiased estimate). In evaluation: normalise with the running statistics.
 *
 * The loops below are the reference. In training, where WebAssembly SIMD exists, the same loops
 * run in the kernel module (kernels/gemm.wat, two features an instruction) and give the same bits,
 * which batchnorm.test.ts checks; `loops: true` runs these ones.
 */
export const batchNormForward = (
  l: Pick<BatchNormSpec, 'eps' | 'momentum'>,
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  training: boolean,
  { loops = false }: { loops?: boolean } = {},
): { out: Tensor; cache: BatchNormCache; runningMean: Tensor; runningVar: Tensor } => {
  const [m, n] = [x.shape[0], x.shape[1]]
  if (training && m < 2)
    throw new ShapeError(
      'batchnorm',
      `training needs a batch of at least 2 rows to estimate a variance, got ${showShape(x.shape)}`,
    )
  // the hot loops read plain locals: a property read per element would cost more than the arithmetic
  const xd = x.data,
    gd = gamma.data,
    bd = beta.data
  const kernel = training && !loops ? batchNormForwardSimd?.(xd, m, n, l.eps, gd, bd) : undefined
  if (kernel !== undefined) {
    const { out, xhat, mean, variance, invStd } = kernel
    return {
      out: { shape: x.shape, data: out },
      cache: { xhat, invStd },
      ...runningStatistics(l.momentum, m, mean, variance, runningMean, runningVar),
    }
  }
  const mean = new Float64Array(n),
    variance = new Float64Array(n)
  if (training) {
    for (let i = 0; i < m; i++) for (let j = 0, k = i * n; j < n; j++, k++) mean[j] += xd[k]
    for (let j = 0; j < n; j++) mean[j] /= m
    for (let i = 0; i < m; i++)
      for (let j = 0, k = i * n; j < n; j++, k++) {
        const d = xd[k] - mean[j]
        variance[j] += d * d
      }
    for (let j = 0; j < n; j++) variance[j] /= m
  } else {
    mean.set(runningMean.data)
    variance.set(runningVar.data)
  }
  const invStd = new Float64Array(n)
  for (let j = 0; j < n; j++) invStd[j] = 1 / Math.sqrt(variance[j] + l.eps)
  const xhat = new Float64Array(m * n),
    out = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0, k = i * n; j < n; j++, k++) {
      const h = (xd[k] - mean[j]) * invStd[j]
      xhat[k] = h
      out[k] = gd[j] * h + bd[j]
    }
  }
  return {
    out: { shape: x.shape, data: out },
    cache: { xhat, invStd },
    ...(training
      ? runningStatistics(l.momentum, m, mean, variance, runningMean, runningVar)
      : { runningMean, runningVar }),
  }
}

/** The running statistics moved towards a training batch's (the variance's unbiased estimate). */
const runningStatistics = (
  momentum: number,
  m: number,
  mean: Float64Array,
  variance: Float64Array,
  runningMean: Tensor,
  runningVar: Tensor,
): { runningMean: Tensor; runningVar: Tensor } => {
  const nm = new Float64Array(mean.length),
    nv = new Float64Array(mean.length)
  moveRunningStatistics(momentum, m, mean, variance, runningMean.data, runningVar.data, nm, nv)
  return { runningMean: { shape: runningMean.shape, data: nm }, runningVar: { shape: runningVar.shape, data: nv } }
}

/** The loop of runningStatistics, into `nm` and `nv` (which may be `rm` and `rv` themselves: each value is read before it is written). */
const moveRunningStatistics = (
  momentum: number,
  m: number,
  mean: Float64Array,
  variance: Float64Array,
  rm: Float64Array,
  rv: Float64Array,
  nm: Float64Array,
  nv: Float64Array,
): void => {
  for (let j = 0; j < mean.length; j++) {
    nm[j] = (1 - momentum) * rm[j] + momentum * mean[j]
    nv[j] = (1 - momentum) * rv[j] + momentum * variance[j] * (m / (m - 1))
  }
}

/**
 * BatchNorm backward through the batch statistics: every example's gradient depends on the
 * whole batch because the mean and variance did (the derivation is at the top of this file).
 */
export const batchNormBackward = (
  cache: BatchNormCache,
  gamma: Tensor,
  g: Tensor,
  { loops = false }: { loops?: boolean } = {},
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } => {
  const [m, n] = [g.shape[0], g.shape[1]]
  const { xhat, invStd } = cache
  const kernel = loops ? undefined : batchNormBackwardSimd?.(g.data, xhat, invStd, gamma.data, m, n)
  if (kernel !== undefined)
    return {
      dx: { shape: g.shape, data: kernel.dx },
      dgamma: { shape: [n], data: kernel.dgamma },
      dbeta: { shape: [n], data: kernel.dbeta },
    }
  const gd = g.data,
    gmd = gamma.data
  const dgamma = new Float64Array(n),
    dbeta = new Float64Array(n)
  for (let i = 0; i < m; i++)
    for (let j = 0, k = i * n; j < n; j++, k++) {
      dbeta[j] += gd[k]
      dgamma[j] += gd[k] * xhat[k]
    }
  // sum(dxhat) = gamma * dbeta and sum(dxhat * xhat) = gamma * dgamma
  const scale = new Float64Array(n)
  for (let j = 0; j < n; j++) scale[j] = (gmd[j] * invStd[j]) / m
  const dx = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0, k = i * n; j < n; j++, k++) dx[k] = scale[j] * (m * gd[k] - dbeta[j] - xhat[k] * dgamma[j])
  return { dx: { shape: g.shape, data: dx }, dgamma: { shape: [n], data: dgamma }, dbeta: { shape: [n], data: dbeta } }
}

export const batchNormOps: LayerOps<Named<BatchNormSpec>, BatchNormCache> = {
  params: (l) => [
    { name: 'gamma', shape: [l.dim], init: l.gammaInit, fanIn: l.dim, isWeight: false },
    { name: 'beta', shape: [l.dim], init: zerosInit, fanIn: l.dim, isWeight: false },
  ],
  buffers: (l) => ({
    runningMean: { shape: [1, l.dim], data: new Float64Array(l.dim) },
    runningVar: { shape: [1, l.dim], data: new Float64Array(l.dim).fill(1) },
  }),
  outWidth: (l, width, where) => {
    if (width !== undefined && width !== l.dim)
      throw new ShapeError('model', `${where} normalises ${l.dim} features but the previous layer gives ${width}`)
    return width
  },
  forward: (l, x, { param, training }) => {
    const r = batchNormForward(
      l,
      requireInput(l, x),
      param('gamma'),
      param('beta'),
      param('runningMean'),
      param('runningVar'),
      training,
    )
    return { out: r.out, saved: r.cache, buffers: { runningMean: r.runningMean, runningVar: r.runningVar } }
  },
  backward: (_l, cache, g, param) => {
    const r = batchNormBackward(cache, param('gamma'), g)
    return { dx: r.dx, grads: { gamma: r.dgamma, beta: r.dbeta } }
  },
  // the module's bn_forward and bn_backward on the arena's slots, the running statistics moved in place
  plan: (l, { arena, rows: m, input, inputGrad, out, outGrad, param, grad, buffer }) => {
    const x = requireInput(l, input),
      dx = requireInput(l, inputGrad)
    const n = l.dim
    const stats = arena.alloc(3 * n), // mean, variance, invStd: the kernel sums into them from zero
      xhat = arena.alloc(m * n),
      scale = arena.alloc(n)
    const gamma = param('gamma'),
      beta = param('beta'),
      dgamma = grad('gamma'),
      dbeta = grad('beta')
    const rm = buffer('runningMean'),
      rv = buffer('runningVar')
    const k = arena.kernels
    return () => {
      const s = arena.view(stats),
        mean = s.subarray(0, n),
        variance = s.subarray(n, 2 * n),
        dg = arena.view(dgamma),
        db = arena.view(dbeta),
        sc = arena.view(scale)
      const at = (slot: Slot, j = 0) => bytes(slot) + j * 8
      return {
        forward: () => {
          if (m < 2)
            throw new ShapeError(
              'batchnorm',
              `training needs a batch of at least 2 rows to estimate a variance, got ${showShape([m, n])}`,
            )
          s.fill(0)
          k.bn_forward(
            at(x),
            m,
            n,
            l.eps,
            at(stats),
            at(stats, n),
            at(stats, 2 * n),
            at(gamma),
            at(beta),
            at(xhat),
            at(out),
          )
          moveRunningStatistics(l.momentum, m, mean, variance, rm, rv, rm, rv)
        },
        backward: () => {
          dg.fill(0)
          db.fill(0)
          sc.fill(0)
          k.bn_backward(
            at(outGrad),
            at(xhat),
            at(stats, 2 * n),
            at(gamma),
            m,
            n,
            at(dgamma),
            at(dbeta),
            at(scale),
            at(dx),
          )
        },
      }
    }
  },
}
