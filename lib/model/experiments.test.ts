import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  experiments,
  findExperiment,
  prepareCorpus,
  runExperiment,
  snapshotStepsFor,
  stepsFor,
  type ExperimentName,
} from './experiments.ts'
import { initModel, parameterCount, trainingPass } from './nn.ts'
import { seedRng } from '../engine/random.ts'
import { readNamesOrThrow, sampleBatch } from './data.ts'

const words = readNamesOrThrow('data/names.txt')
const corpus = prepareCorpus(words, 42)

/** The loss of the first batch, before any step. */
const initialLoss = (name: ExperimentName, seed: number): number => {
  const [model, s] = initModel(findExperiment(name)!.layers(corpus.vocab.size))(seedRng(seed))
  const [batch] = sampleBatch(corpus.train, 32)(s)
  return trainingPass(model, batch.X, batch.Y).trace.loss
}

describe("the lecture's experiments", () => {
  it('the naive init is confidently wrong (first loss far above ln 27); every fix starts within 0.1 of ln 27', () => {
    for (const seed of [1, 2, 3]) {
      expect(initialLoss('naive', seed)).toBeGreaterThan(10)
      for (const name of ['fix-softmax', 'fix-tanh', 'kaiming', 'batchnorm', 'deep-tanh', 'deep-batchnorm'] as const) {
        expect(Math.abs(initialLoss(name, seed) - Math.log(27)), name).toBeLessThan(0.1)
      }
    }
  })
  it('the BatchNorm net has 12,097 parameters and the deep BatchNorm net 47,024', () => {
    const count = (name: ExperimentName) => parameterCount(initModel(findExperiment(name)!.layers(27))(seedRng(0))[0])
    expect(count('batchnorm')).toBe(12_097)
    expect(count('deep-batchnorm')).toBe(47_024)
  })
  it('names are unique and the deep nets are capped at the 1,000 steps the lecture reads them after', () => {
    expect(new Set(experiments.map((e) => e.name)).size).toBe(experiments.length)
    expect(stepsFor(findExperiment('deep-tanh')!, 200_000)).toBe(1000)
    expect(stepsFor(findExperiment('kaiming')!, 200_000)).toBe(200_000)
  })
  it('a short run trains, evaluates and samples deterministically', () => {
    const run = () => runExperiment(findExperiment('kaiming')!, corpus, { steps: 300, seed: 9, samples: 5 })
    const a = run(),
      b = run()
    expect(a.initLoss).toBe(b.initLoss)
    expect(a.val).toBe(b.val)
    expect(a.samples).toEqual(b.samples)
    expect(a.samples.every((s) => /^[a-z]*$/.test(s))).toBe(true)
    expect(a.val).toBeLessThan(a.initLoss)
    expect(a.history.snapshots.map((s) => s.step)).toEqual([0, 299])
  })
})

describe('snapshots', () => {
  it('snapshotStepsFor: sorted distinct steps inside the run, from 0 to steps - 1, eleven evenly spaced and 1, 2, 5, 10, 20, 50, ... between', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), (steps) => {
        const s = snapshotStepsFor(steps)
        expect(s[0]).toBe(0)
        expect(s[s.length - 1]).toBe(steps - 1)
        for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1])
        for (let i = 0; i <= 10; i++) expect(s).toContain(Math.round((i * (steps - 1)) / 10))
        for (const k of [1, 2, 5, 10, 20, 50, 100, 200, 500]) if (k < steps - 1) expect(s).toContain(k)
        expect(s.every((x) => x >= 0 && x < steps)).toBe(true)
      }),
    )
  })
})
