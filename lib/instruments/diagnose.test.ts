import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  defaultThresholds,
  diagnose,
  diagnoseRun,
  findingKinds,
  updateDataBand,
  verdict,
  type DiagnoseInput,
} from './diagnose.ts'
import { SATURATION, deadUnitsByLayer, saturationFraction } from './measures.ts'
import {
  embedding,
  initModel,
  linear,
  reluLayer,
  tanhLayer,
  trainingPass,
  type LayerSpec,
  type Model,
} from '../model/nn.ts'
import { constant, gains, kaiming, scaledNormal, standardNormal } from '../model/init.ts'
import { evalRng, randint, seedRng } from '../engine/random.ts'
import { findExperiment, prepareCorpus, runExperiment } from '../model/experiments.ts'
import { readNamesOrThrow } from '../model/data.ts'

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })

const V = 27
const batchFor = (s: number, size = 32) => {
  const [x, s1] = randint(0, V, size * 3)(seedRng(s))
  const [y] = randint(0, V, size)(s1)
  return { x, y }
}

/** Trace, parameters and learning rate of one training pass of a network at initialisation. */
const inspect = (specs: readonly LayerSpec[], s: number, lr = 0.1): DiagnoseInput & { model: Model } => {
  const model = evalRng(initModel(specs), s)
  const { x, y } = batchFor(s + 1)
  const { trace } = trainingPass(model, x, y)
  return { vocabSize: V, trace, params: model.params, lr, model }
}

/** A deep stack: embedding, `depth` x (Linear with Kaiming `gain` + activation), a last Linear scaled by 0.1. */
const deepStack = (gain: number, act: 'tanh' | 'relu', depth = 5, width = 64): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  ...Array.from({ length: depth }, (_, i): LayerSpec[] => [
    linear(i === 0 ? 30 : width, width, { weightInit: kaiming(gain) }),
    act === 'tanh' ? tanhLayer() : reluLayer(),
  ]).flat(),
  linear(width, V, { weightInit: kaiming(0.1) }),
]

/** The lecture's MLP with the given scales for W1, b1, W2, b2. */
const mlp = (w1: number, b1: number, w2: number, b2: number): LayerSpec[] => [
  embedding(V, 10, 3, standardNormal),
  linear(30, 200, { weightInit: scaledNormal(w1), biasInit: scaledNormal(b1) }),
  tanhLayer(),
  linear(200, V, { weightInit: scaledNormal(w2), biasInit: b2 === 0 ? constant(0) : scaledNormal(b2) }),
]

const kinds = (input: DiagnoseInput) => verdict(diagnose(input))

describe('diagnose', () => {
  it('a healthy network has no findings: a Kaiming (gain 5/3) deep tanh net at learning rate 0.1, for any seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        expect(diagnose(inspect(deepStack(gains.tanh, 'tanh'), s))).toEqual([])
      }),
      { numRuns: 6 },
    )
    expect(diagnose(inspect(mlp(0.2, 0.01, 0.01, 0), 5))).toEqual([])
  })

  it('confidently-wrong: output weights and bias drawn from a standard normal give an initial loss above ln V + 1', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(mlp(0.2, 0.01, 1, 1), s)
        const f = diagnose(input).find((x) => x.kind === 'confidently-wrong')
        expect(f?.evidence).toEqual({
          measure: 'initial loss',
          value: input.trace.loss,
          threshold: Math.log(V) + 1,
          comparison: '>',
        })
        expect(f?.fix).toMatch(/b2 to zero.*W2/)
      }),
      { numRuns: 4 },
    )
    // the given initial loss wins over the trace's, so a trace from later in training is judged by its first loss
    const healthy = inspect(mlp(0.2, 0.01, 0.01, 0), 1)
    expect(kinds({ ...healthy, initialLoss: 27 })).toContain('confidently-wrong')
    expect(kinds({ ...inspect(mlp(0.2, 0.01, 1, 1), 1), initialLoss: 3.3 })).not.toContain('confidently-wrong')
  })

  it('saturated: W1 and b1 drawn from a standard normal push most tanh outputs beyond 0.97', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(mlp(1, 1, 0.01, 0), s)
        const f = diagnose(input).filter((x) => x.kind === 'saturated')
        expect(f.map((x) => x.where)).toEqual(['tanh1'])
        expect(f[0].evidence.value).toBe(saturationFraction(input.trace.layers[2].out.data, SATURATION.panel))
        expect(f[0].evidence.value).toBeGreaterThan(defaultThresholds.saturatedShare)
      }),
      { numRuns: 4 },
    )
  })

  it('dead-units: a tanh layer fed a bias of +10 and a ReLU layer fed a bias of -10 are dead for every example', () => {
    const tanhDead = inspect(
      [
        embedding(V, 10, 3),
        linear(30, 50, { weightInit: kaiming(1), biasInit: constant(10) }),
        tanhLayer(),
        linear(50, V, { weightInit: scaledNormal(0.01) }),
      ],
      3,
    )
    const reluDead = inspect(
      [
        embedding(V, 10, 3),
        linear(30, 50, { weightInit: kaiming(1), biasInit: constant(-10) }),
        reluLayer(),
        linear(50, V, { weightInit: scaledNormal(0.01) }),
      ],
      3,
    )
    for (const input of [tanhDead, reluDead]) {
      const f = diagnose(input).find((x) => x.kind === 'dead-units')
      expect(f?.where).toMatch(/^(tanh|relu)1$/)
      expect(f?.evidence.value).toBe(1)
      expect(deadUnitsByLayer(input.trace)[0].units.length).toBe(50)
    }
    expect(diagnose(reluDead).find((x) => x.kind === 'dead-units')?.fix).toMatch(/never recovers/)
  })

  it('vanishing: a deep tanh stack with gain 0.5 shrinks its activations forward and its gradients backward', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const f = diagnose(inspect(deepStack(0.5, 'tanh'), s)).filter((x) => x.kind === 'vanishing')
        expect(f.map((x) => x.where)).toEqual(['activations', 'gradients'])
        for (const x of f) expect(x.evidence.value).toBeLessThan(defaultThresholds.shrink)
      }),
      { numRuns: 4 },
    )
  })

  it('exploding: a deep ReLU stack with gain 3 grows its activations forward and its gradients backward', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const f = diagnose(inspect(deepStack(3, 'relu'), s)).filter((x) => x.kind === 'exploding')
        expect(f.map((x) => x.where)).toEqual(['activations', 'gradients'])
        for (const x of f) expect(x.evidence.value).toBeGreaterThan(defaultThresholds.grow)
      }),
      { numRuns: 4 },
    )
  })

  it('lr-too-high and lr-too-low: the same healthy net stepped at learning rate 10 or 1e-3 instead of 0.1', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const input = inspect(deepStack(gains.tanh, 'tanh'), s)
        expect(kinds({ ...input, lr: 10 })).toEqual(['lr-too-high'])
        expect(kinds({ ...input, lr: 1e-3 })).toEqual(['lr-too-low'])
        expect(kinds({ ...input, lr: 0.1 })).toEqual([])
      }),
      { numRuns: 4 },
    )
  })

  it('lr findings read a series of update:data ratios when given one, and leave the output layer out', () => {
    const input = inspect(deepStack(gains.tanh, 'tanh', 3), 2)
    const series = (values: number[]) => ({
      weights: values.map((_, i) => `linear${i + 1}.weight`),
      log10: values.map((v) => Float64Array.from([v, v + 0.1, v - 0.1])),
    })
    const high = diagnose({ ...input, updateToData: series([-1.5, -1.4, -1.6, -3]) })
    expect(verdict(high)).toEqual(['lr-too-high'])
    expect(high[0].evidence.value).toBeCloseTo(-1.5, 12)
    expect(high[0].message).not.toContain('linear4.weight')
    // only the output layer (linear4) is far from -3: it starts small by design, so no finding
    expect(kinds({ ...input, updateToData: series([-3, -3, -3, -0.5]) })).toEqual([])
    expect(kinds({ ...input, updateToData: series([-5, -5, -5, -3]) })).toEqual(['lr-too-low'])
  })

  it('updateDataBand is exactly where the lr findings stay quiet: the band every page shades is the rule diagnose reads', () => {
    const input = inspect(deepStack(gains.tanh, 'tanh', 3), 2)
    const at = (v: number) => ({
      weights: ['linear1.weight', 'linear2.weight', 'linear3.weight', 'linear4.weight'],
      log10: [v, v, v, -3].map((x) => Float64Array.from([x])),
    })
    const { from, to } = updateDataBand
    expect([from, to]).toEqual([defaultThresholds.updateLow, defaultThresholds.updateHigh])
    expect(from).toBeLessThan(-3)
    expect(to).toBeGreaterThan(-3)
    for (const v of [from, (from + to) / 2, to]) expect(kinds({ ...input, updateToData: at(v) })).toEqual([])
    expect(kinds({ ...input, updateToData: at(to + 1e-9) })).toEqual(['lr-too-high'])
    expect(kinds({ ...input, updateToData: at(from - 1e-9) })).toEqual(['lr-too-low'])
  })

  it('nan: a NaN parameter is reported alone, naming the first place it shows', () => {
    const input = inspect(deepStack(gains.tanh, 'tanh', 3), 4)
    const w = input.model.params['linear2.weight']
    const broken = {
      ...input.model.params,
      'linear2.weight': { shape: w.shape, data: w.data.map((v, i) => (i === 0 ? NaN : v)) },
    }
    const { x, y } = batchFor(5)
    const trace = trainingPass({ ...input.model, params: broken }, x, y).trace
    const f = diagnose({ vocabSize: V, trace, params: broken, lr: 0.1 })
    expect(f.map((x) => x.kind)).toEqual(['nan'])
    expect(f[0].where).toBe('linear2.weight')
    expect(diagnose({ vocabSize: V, trace }).map((x) => x.where)).toEqual(['linear2 output'])
    // a run whose first loss was already NaN
    expect(diagnose({ vocabSize: V, trace: input.trace, initialLoss: NaN }).map((x) => [x.kind, x.where])).toEqual([
      ['nan', 'loss'],
    ])
  })

  it('findings come in the order of findingKinds, and verdict lists each kind found once', () => {
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom(0.5, 1, 5 / 3, 3),
        fc.constantFrom<'tanh' | 'relu'>('tanh', 'relu'),
        fc.constantFrom(1e-4, 0.1, 30),
        (s, gain, act, lr) => {
          const f = diagnose(inspect(deepStack(gain, act), s, lr))
          const order = f.map((x) => findingKinds.indexOf(x.kind))
          expect(order).toEqual([...order].sort((a, b) => a - b))
          expect(verdict(f)).toEqual(findingKinds.filter((k) => f.some((x) => x.kind === k)))
          for (const x of f)
            expect(
              x.evidence.comparison === '>'
                ? x.evidence.value > x.evidence.threshold
                : x.evidence.value < x.evidence.threshold,
            ).toBe(true)
        },
      ),
      { numRuns: 12 },
    )
  })

  it("thresholds can be overridden: a saturation limit of 1% flags the lecture's fixed MLP too", () => {
    const input = inspect(mlp(0.2, 0.01, 0.01, 0), 5)
    expect(kinds(input)).toEqual([])
    expect(kinds({ ...input, thresholds: { saturatedShare: 0.001 } })).toEqual(['saturated'])
  })
})

describe("diagnoseRun: the lecture's experiments, trained briefly", () => {
  const words = readNamesOrThrow('data/names.txt')
  const corpus = prepareCorpus(
    words.filter((_, i) => i % 32 === 0),
    42,
  )
  const run = (name: string) => {
    const ex = findExperiment(name)
    if (ex === undefined) throw new Error(name)
    return runExperiment(ex, corpus, { steps: 100, seed: 3, samples: 1 })
  }

  it('naive is confidently wrong and saturated, fix-softmax only saturated, fix-tanh and kaiming healthy', () => {
    expect(verdict(diagnoseRun(run('naive')))).toEqual(['confidently-wrong', 'saturated'])
    expect(verdict(diagnoseRun(run('fix-softmax')))).toEqual(['saturated'])
    expect(diagnoseRun(run('fix-tanh'))).toEqual([])
    const kaimingRun = run('kaiming')
    expect(diagnoseRun(kaimingRun)).toEqual([])
    // the evidence of a finding is the run's own figure
    expect(diagnoseRun(kaimingRun, { lossAboveUniform: -1 })[0].evidence.value).toBe(kaimingRun.initLoss)
  })
})
