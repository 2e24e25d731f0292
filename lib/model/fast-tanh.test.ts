/**
 * What the fast tanh (engine/kernels/tanh.ts, within 4 ulps of Math.tanh) does to training: the
 * lecture's networks trained with it and with Math.tanh, from the same seed on the same batches.
 */
import { describe, expect, it, vi } from 'vitest'
import { readNamesOrThrow, sampleBatch } from './data.ts'
import { findExperiment, prepareCorpus, type ExperimentName } from './experiments.ts'
import { initModel } from './nn.ts'
import { seedRng } from '../engine/random.ts'
import { lectureSchedule, train } from './train.ts'

const tanhKind = vi.hoisted(() => ({ exact: false }))
vi.mock('../engine/kernels/tanh.ts', async (importOriginal) => {
  const fast = await importOriginal<typeof import('../engine/kernels/tanh.ts')>()
  return {
    tanhInto: (x: Float64Array, out: Float64Array): void => {
      if (tanhKind.exact) for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i])
      else fast.tanhInto(x, out)
    },
  }
})

const words = readNamesOrThrow('data/names.txt')
const corpus = prepareCorpus(words, 42)

const run = (name: ExperimentName, steps: number, exact: boolean) => {
  tanhKind.exact = exact
  try {
    const [model, s] = initModel(findExperiment(name)!.layers(corpus.vocab.size))(seedRng(7))
    return train(model, s, sampleBatch(corpus.train, 32), { name, steps, schedule: lectureSchedule(steps) })
  } finally {
    tanhKind.exact = false
  }
}

describe('the fast tanh next to Math.tanh in training', () => {
  it.each([
    ['kaiming', 120],
    ['batchnorm', 80],
    ['deep-tanh', 40],
  ] as const)('%s: every batch loss of %i steps and every final parameter agree to 1e-12', (name, steps) => {
    const fast = run(name, steps, false),
      exact = run(name, steps, true)
    let lossGap = 0
    fast.history.loss.forEach((l, i) => {
      lossGap = Math.max(lossGap, Math.abs(l - exact.history.loss[i]))
    })
    let paramGap = 0
    for (const [k, t] of Object.entries(fast.model.params))
      t.data.forEach((v, i) => {
        paramGap = Math.max(paramGap, Math.abs(v - exact.model.params[k].data[i]))
      })
    // measured: gaps of about 1e-15 (a few ulps of the loss), after 400 steps as after 40
    expect(lossGap).toBeLessThan(1e-12)
    expect(paramGap).toBeLessThan(1e-12)
    // the two runs did differ: the check compares two tanh, not one with itself
    expect(lossGap + paramGap).toBeGreaterThan(0)
  })
})
