/**
 * Reference answers for kata 04 (BatchNorm). Each export has the type katas/04-batchnorm/types.ts
 * gives it, as the learner's must: the answer can be copied into katas/04-batchnorm/kata.ts as it
 * is.
 */
import type { Kata, BatchNormParams, Statistics } from '../../katas/04-batchnorm/types.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'

const vec = (data: Float64Array): Tensor => ({ shape: [data.length], data })

export const batchStatistics: Kata['batchStatistics'] = (x) => {
  const [n, f] = x.shape
  const mean = new Float64Array(f),
    variance = new Float64Array(f)
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += x.data[i * f + j] / n
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) variance[j] += (x.data[i * f + j] - mean[j]) ** 2 / n
  return { mean: vec(mean), variance: vec(variance) }
}

/** gamma · (x - mean) / √(variance + eps) + beta, with the given statistics. */
const normalise = (x: Tensor, { gamma, beta }: BatchNormParams, stats: Statistics, eps: number): Tensor => {
  const [n, f] = x.shape
  const out = new Float64Array(n * f)
  for (let j = 0; j < f; j++) {
    const invStd = 1 / Math.sqrt(stats.variance.data[j] + eps)
    for (let i = 0; i < n; i++)
      out[i * f + j] = gamma.data[j] * (x.data[i * f + j] - stats.mean.data[j]) * invStd + beta.data[j]
  }
  return { shape: [n, f], data: out }
}

export const updateRunningStatistics: Kata['updateRunningStatistics'] = (running, batch, momentum) => {
  const blend = (r: Tensor, b: Tensor) => vec(r.data.map((v, j) => (1 - momentum) * v + momentum * b.data[j]))
  return { mean: blend(running.mean, batch.mean), variance: blend(running.variance, batch.variance) }
}

export const batchNormTrain: Kata['batchNormTrain'] = (x, params, running, { eps, momentum }) => {
  const stats = batchStatistics(x)
  return { out: normalise(x, params, stats, eps), running: updateRunningStatistics(running, stats, momentum) }
}

export const batchNormEval: Kata['batchNormEval'] = (x, params, running, eps) => normalise(x, params, running, eps)

export const batchNormBackward: Kata['batchNormBackward'] = (x, gamma, dout, eps) => {
  const [n, f] = x.shape
  const { mean, variance } = batchStatistics(x)
  const dx = new Float64Array(n * f),
    dgamma = new Float64Array(f),
    dbeta = new Float64Array(f)
  for (let j = 0; j < f; j++) {
    const invStd = 1 / Math.sqrt(variance.data[j] + eps)
    const xhat = (i: number) => (x.data[i * f + j] - mean.data[j]) * invStd
    for (let i = 0; i < n; i++) {
      dbeta[j] += dout.data[i * f + j]
      dgamma[j] += dout.data[i * f + j] * xhat(i)
    }
    for (let i = 0; i < n; i++)
      dx[i * f + j] = ((gamma.data[j] * invStd) / n) * (n * dout.data[i * f + j] - dbeta[j] - xhat(i) * dgamma[j])
  }
  return { dx: { shape: [n, f], data: dx }, dgamma: vec(dgamma), dbeta: vec(dbeta) }
}

export const removeBiasBeforeBatchNorm: Kata['removeBiasBeforeBatchNorm'] = (layers) =>
  layers.map((layer, i) =>
    layer.kind === 'linear' && layers[i + 1]?.kind === 'batchnorm' ? { ...layer, bias: false } : layer,
  )
