/**
 * Reference answers for kata 07 (training). Each export has the type katas/07-training/types.ts
 * gives it, as the learner's must: the answer can be copied into katas/07-training/kata.ts as it
 * is.
 */
import type { Kata } from '../../katas/07-training/types.ts'
import { forward, initModel, predictProbs, trainingPass, type Params } from '../../lib/model/nn.ts'
import { crossEntropy } from '../../lib/model/loss.ts'
import { decode, sampleBatch } from '../../lib/model/data.ts'
import { categorical, seedRng, type RngState } from '../../lib/engine/random.ts'
import { findExperiment } from '../../lib/model/experiments.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'

export const learningRate: Kata['learningRate'] = (step, totalSteps) => (step < Math.floor(totalSteps / 2) ? 0.1 : 0.01)

export const sgdStep: Kata['sgdStep'] = (model, batch, lr) => {
  const pass = trainingPass(model, batch.X, batch.Y)
  const params: Record<string, Tensor> = {}
  for (const [name, p] of Object.entries(model.params)) {
    const g = pass.trace.paramGrads[name]
    params[name] = { shape: p.shape, data: p.data.map((v, i) => v - lr * g.data[i]) }
  }
  return { model: { ...model, params: params as Params, buffers: pass.buffers }, loss: pass.trace.loss }
}

export const trainModel: Kata['trainModel'] = (model, examples, { steps, seed, batchSize = 32 }) => {
  const draw = sampleBatch(examples, batchSize)
  let s: RngState = seedRng(seed)
  let current = model
  const losses: number[] = [],
    learningRates: number[] = []
  for (let step = 0; step < steps; step++) {
    const [batch, next] = draw(s)
    s = next
    const lr = learningRate(step, steps)
    const r = sgdStep(current, batch, lr)
    current = r.model
    losses.push(r.loss)
    learningRates.push(lr)
  }
  return { model: current, losses, learningRates }
}

/** In chunks, so a whole split never sits in memory at once; eval mode makes the chunks independent. */
export const evaluate: Kata['evaluate'] = (model, examples) => {
  const { X, Y, blockSize } = examples
  const chunk = 4096
  let total = 0
  for (let start = 0; start < Y.length; start += chunk) {
    const end = Math.min(Y.length, start + chunk)
    const logits = forward(model, X.subarray(start * blockSize, end * blockSize), 'eval').logits
    total += crossEntropy(logits, Y.subarray(start, end)) * (end - start)
  }
  return total / Y.length
}

export const lossTable: Kata['lossTable'] = (names, corpus, options) =>
  names.map((name) => {
    const experiment = findExperiment(name)
    if (experiment === undefined) throw new Error(`no experiment named ${name}`)
    const [model] = initModel(experiment.layers(corpus.vocab.size))(seedRng(options.seed))
    const run = trainModel(model, corpus.train, options)
    return {
      name,
      initLoss: run.losses[0],
      train: evaluate(run.model, corpus.train),
      val: evaluate(run.model, corpus.val),
    }
  })

export const sampleNames: Kata['sampleNames'] = (model, vocab, count, seed) => {
  const first = model.layers[0]
  const blockSize = first.kind === 'embedding' ? first.blockSize : 3
  let s = seedRng(seed)
  const names: string[] = []
  for (let n = 0; n < count; n++) {
    const context = new Int32Array(blockSize)
    const out: number[] = []
    while (out.length < 30) {
      const [ix, next] = categorical(predictProbs(model, context).data)(s)
      s = next
      if (ix === 0) break
      out.push(ix)
      context.copyWithin(0, 1)
      context[blockSize - 1] = ix
    }
    names.push(decode(out, vocab))
  }
  return names
}
