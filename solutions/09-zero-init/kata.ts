/**
 * Reference answers for kata 09 (zero init). Each export has the type katas/09-zero-init/types.ts
 * gives it, as the learner's must: the answer can be copied into katas/09-zero-init/kata.ts as it
 * is.
 */
import type { Kata } from '../../katas/09-zero-init/types.ts'
import { stdAll } from '../../lib/engine/ops.ts'
import { seedRng } from '../../lib/engine/random.ts'
import { sampleBatch } from '../../lib/model/data.ts'
import { findExperiment } from '../../lib/model/experiments.ts'
import { scaledNormal, zerosInit } from '../../lib/model/init.ts'
import { trainingPass, type LayerSpec } from '../../lib/model/nn.ts'
import { sgdStep } from '../../lib/model/train.ts'

const naiveLayers = (vocabSize: number): LayerSpec[] => {
  const naive = findExperiment('naive')
  if (naive === undefined) throw new Error('lib/model/experiments.ts has no naive experiment')
  return naive.layers(vocabSize)
}

export const zeroInitLayers: Kata['zeroInitLayers'] = (vocabSize) =>
  naiveLayers(vocabSize).map((l) => (l.kind === 'linear' ? { ...l, weightInit: zerosInit, biasInit: zerosInit } : l))

export const nonZeroGradients: Kata['nonZeroGradients'] = (model, { X, Y }) => {
  const grads = trainingPass(model, X, Y).trace.paramGrads
  return Object.keys(model.params).filter((name) => grads[name].data.some((g) => g !== 0))
}

export const hiddenActivationStd: Kata['hiddenActivationStd'] = (model, { X, Y }) => {
  const h = trainingPass(model, X, Y).trace.layers.find((l) => l.kind === 'tanh')
  if (h === undefined) throw new Error('the model has no tanh layer')
  return stdAll(h.out)
}

export const distinctHiddenUnits: Kata['distinctHiddenUnits'] = (model, tolerance = 1e-9) => {
  const W1 = model.params['linear1.weight'],
    b1 = model.params['linear1.bias']
  const [fanIn, hidden] = W1.shape
  const unit = (j: number): number[] => [
    ...Array.from({ length: fanIn }, (_, i) => W1.data[i * hidden + j]),
    b1 === undefined ? 0 : b1.data[j],
  ]
  const seen: number[][] = []
  for (let j = 0; j < hidden; j++) {
    const u = unit(j)
    if (!seen.some((r) => r.every((v, i) => Math.abs(v - u[i]) <= tolerance))) seen.push(u)
  }
  return seen.length
}

export const gradientNorms: Kata['gradientNorms'] = (grads) =>
  Object.fromEntries(
    Object.entries(grads).map(([name, g]) => {
      let s = 0
      for (let i = 0; i < g.data.length; i++) s += g.data[i] * g.data[i]
      return [name, Math.sqrt(s)]
    }),
  )

export const trainRecorded: Kata['trainRecorded'] = (model, examples, { steps, lr, batchSize, seed }) => {
  let state = { model, step: 0 },
    rng = seedRng(seed)
  const losses: number[] = []
  const gradNorms: Record<string, number[]> = Object.fromEntries(Object.keys(model.params).map((n) => [n, []]))
  for (let i = 0; i < steps; i++) {
    const [batch, next] = sampleBatch(examples, batchSize)(rng)
    rng = next
    const r = sgdStep(state, batch, lr)
    losses.push(r.trace.loss)
    for (const [name, norm] of Object.entries(gradientNorms(r.trace.paramGrads))) gradNorms[name].push(norm)
    state = r.state
  }
  return { model: state.model, losses, gradNorms }
}

export const unigramLoss: Kata['unigramLoss'] = (targets, vocabSize) => {
  const counts = new Float64Array(vocabSize)
  for (let i = 0; i < targets.length; i++) counts[targets[i]] += 1
  let loss = 0
  for (const c of counts) if (c > 0) loss -= (c / targets.length) * Math.log(c / targets.length)
  return loss
}

export const smallestFix: Kata['smallestFix'] = (layers) => {
  // W2 random: dh = dlogits W2ᵀ is no longer 0, and each unit j gets its own share through row j of W2
  let linears = 0
  return layers.map((l) => {
    if (l.kind !== 'linear') return l
    linears += 1
    return linears === 2 ? { ...l, weightInit: scaledNormal(0.01) } : l
  })
}
