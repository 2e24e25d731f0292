import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { checkSettings, configureLayers, lectureDeep, settingsFor } from './configure.ts'
import { findExperiment } from './experiments.ts'
import { checkLayers, initModel, parameterCount, sequential, trainingPass } from './nn.ts'
import { seedRng } from '../engine/random.ts'
import { labSettings } from './arbitraries.ts'

describe('configureLayers', () => {
  it("with the lecture's settings, gives exactly the layers of the lecture's experiments", () => {
    for (const name of ['naive', 'fix-tanh', 'kaiming', 'batchnorm', 'deep-tanh', 'deep-batchnorm'] as const)
      expect(configureLayers(settingsFor(name), 27), name).toEqual(findExperiment(name)!.layers(27))
  })

  it('the deep BatchNorm net has 47,024 parameters, as the lecture counts', () => {
    const [model] = initModel(configureLayers({ ...lectureDeep, batchNorm: true }, 27))(seedRng(0))
    expect(parameterCount(model)).toBe(47_024)
  })

  it('every valid setting builds a chain of layers whose widths fit, with one Linear per hidden layer plus the output', () => {
    fc.assert(
      fc.property(labSettings, (s) => {
        const specs = configureLayers(s, 27)
        expect(() => checkLayers(sequential(specs))).not.toThrow()
        expect(specs.filter((l) => l.kind === 'linear')).toHaveLength(s.depth + 1)
        expect(specs.filter((l) => l.kind === 'batchnorm')).toHaveLength(
          s.batchNorm ? s.depth + (s.network === 'deep' ? 1 : 0) : 0,
        )
        expect(specs.filter((l) => l.kind === 'tanh' || l.kind === 'relu')).toHaveLength(
          s.activation === 'none' ? 0 : s.depth,
        )
      }),
    )
  })

  it('a small network of any setting gives a finite first loss', () => {
    fc.assert(
      fc.property(labSettings, (s) => {
        const small = { ...s, depth: Math.min(s.depth, 3), width: Math.min(s.width, 40), gain: Math.min(s.gain, 3) }
        const [model, rng] = initModel(configureLayers(small, 27))(seedRng(small.seed))
        const X = new Int32Array(3 * 4).map((_, i) => (i * 7 + rng.a) & 15)
        const Y = new Int32Array(4).map((_, i) => (i * 5) % 27)
        expect(Number.isFinite(trainingPass(model, X, Y).trace.loss)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })

  it('rejects settings outside the controls, naming the knob', () => {
    expect(checkSettings(lectureDeep)).toEqual([])
    expect(checkSettings({ ...lectureDeep, depth: 11 })).toEqual(['depth must be an integer from 1 to 10, got 11'])
    expect(checkSettings({ ...lectureDeep, width: 9.5 })[0]).toMatch(/^width/)
    expect(checkSettings({ ...lectureDeep, learningRate: 0 })[0]).toMatch(/^learning rate/)
    expect(() => configureLayers({ ...lectureDeep, batchSize: 1 }, 27)).toThrow(/batchSize must be an integer from 2/)
  })
})
