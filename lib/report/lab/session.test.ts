import { describe, expect, it } from 'vitest'
import { createSession } from './session.ts'
import { lectureDeep, lectureMlp, settingsFor } from '../../model/configure.ts'
import { readNamesOrThrow } from '../../model/data.ts'
import { findExperiment, prepareCorpus, runExperiment } from '../../model/experiments.ts'

const words = readNamesOrThrow('data/names.txt')
const names = words

describe('a lab session', () => {
  it("gives the first losses of npm start's run of the same experiment and seed, bit for bit", () => {
    // every 4th name: the same split, init and batches on both sides, and a quarter of the final
    // evaluation runExperiment makes of the splits (which this check does not read)
    const some = names.filter((_, i) => i % 4 === 0)
    for (const name of ['deep-tanh', 'deep-batchnorm', 'naive'] as const) {
      const seed = 7
      const node = runExperiment(findExperiment(name)!, prepareCorpus(some, seed), { steps: 20, seed, samples: 0 })
      const lab = createSession(some, settingsFor(name, seed))
      // the lecture's schedule drops the learning rate at half the run: the first 10 steps use 0.1, as the lab does
      expect(lab.train(11)).toBe(11)
      expect(Array.from(lab.losses()), name).toEqual(Array.from(node.history.loss.subarray(0, 11)))
    }
  })

  it('the frame at step 0 shows the network as initialised, the first loss near ln 27', () => {
    const f = createSession(names, lectureDeep).frame()
    expect(f.step).toBe(0)
    expect(f.parameters).toBe(46_497)
    expect(Math.abs(f.lastLoss - f.uniformLoss)).toBeLessThan(0.1)
    expect(f.activations.map((h) => h.label)).toEqual(['tanh1', 'tanh2', 'tanh3', 'tanh4', 'tanh5'])
    expect(f.findings).toEqual([])
  })

  it('histograms integrate to 1 and the loss series covers every step, downsampled', () => {
    const s = createSession(names, { ...lectureDeep, depth: 2, width: 30, activation: 'relu' })
    s.train(900)
    const f = s.frame()
    expect(f.step).toBe(900)
    expect(f.loss.length).toBeLessThanOrEqual(120)
    expect(f.loss[0][0]).toBe(0)
    for (const h of [...f.activations, ...f.gradients, ...f.weightGradients]) {
      const { min, max, density } = h.histogram
      expect(density.reduce((a, b) => a + b, 0) * ((max - min) / density.length)).toBeCloseTo(1, 9)
    }
    expect(f.updateToData.map((u) => u.name)).toEqual(['linear1.weight', 'linear2.weight', 'linear3.weight'])
  })

  it('histograms of activations near 1e-323 span 2^-64 either side of 0, a range an axis can tick', () => {
    // the case a law found: Linear outputs of about 1e-323, whose range an axis could not tick
    const settings = {
      ...lectureMlp,
      width: 10,
      activation: 'none',
      gain: 1.5e-323,
      batchNorm: true,
      batchSize: 2,
      seed: 0,
    } as const
    const f = createSession(names, settings).frame()
    expect(Math.abs(f.activationStats[0].mean)).toBeLessThan(1e-300)
    for (const h of f.activations) {
      expect(h.histogram.max).toBe(2 ** -64)
      expect(h.histogram.min).toBe(-(2 ** -64))
    }
  })

  it('the naive init is flagged confidently wrong and saturated at step 0, and the flag on the loss goes once it trains', () => {
    const s = createSession(names, settingsFor('naive'))
    const kinds = (): string[] => s.frame().findings.map((f) => f.kind)
    expect(kinds()).toEqual(expect.arrayContaining(['confidently-wrong', 'saturated']))
    s.train(2000)
    expect(kinds()).not.toContain('confidently-wrong')
  })

  it('a learning rate that blows the loss up stops the run and diagnose reports the NaN', () => {
    const s = createSession(names, { ...lectureDeep, activation: 'none', init: 'naive', learningRate: 10, depth: 3 })
    const taken = s.train(500)
    const f = s.frame()
    expect(taken).toBeLessThan(500)
    expect(f.diverged).toBe(true)
    expect(f.findings[0].kind).toBe('nan')
  })
})
