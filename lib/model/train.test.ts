import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  evaluateLoss,
  learningRate,
  lectureSchedule,
  sgdStep,
  train,
  TrainingDiverged,
  updateToDataRatio,
  gradToDataRatio,
} from './train.ts'
import { embedding, initModel, linear, tanhLayer, trainingPass, type LayerSpec } from './nn.ts'
import { evalRng, seedRng } from '../engine/random.ts'
import { buildExamples, buildVocabulary, sampleBatch } from './data.ts'
import { kaiming, scaledNormal } from './init.ts'
import { crossEntropy } from './loss.ts'
import { predict } from './nn.ts'

const words = [
  'emma',
  'olivia',
  'ava',
  'isabella',
  'sophia',
  'mia',
  'amelia',
  'harper',
  'evelyn',
  'abigail',
  'emily',
  'ella',
]
const vocab = buildVocabulary(words)
const examples = buildExamples(words, vocab, 3)
const small: LayerSpec[] = [
  embedding(vocab.size, 4, 3),
  linear(12, 16, { weightInit: kaiming('tanh') }),
  tanhLayer(),
  linear(16, vocab.size, { weightInit: scaledNormal(0.1) }),
]

describe('learning-rate schedule', () => {
  it("is 0.1 before the switch and 0.01 from it on (the lecture's step decay)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000_000 }), (steps) => {
        const s = lectureSchedule(steps)
        expect(learningRate(s, 0)).toBe(0.1)
        expect(learningRate(s, s.decayAt - 1)).toBe(0.1)
        expect(learningRate(s, s.decayAt)).toBe(0.01)
        expect(s.decayAt).toBe(Math.floor(steps / 2))
      }),
    )
    expect(lectureSchedule(100, 90).decayAt).toBe(90)
  })
})

describe('an SGD step', () => {
  it('moves every parameter by -lr × its gradient and leaves the old model untouched', () => {
    const model = evalRng(initModel(small), 1)
    const frozen = structuredClone(model.params)
    const [batch] = sampleBatch(examples, 8)(seedRng(2))
    const grads = trainingPass(model, batch.X, batch.Y).trace.paramGrads
    const { state } = sgdStep({ model, step: 0 }, batch, 0.5)
    expect(model.params).toEqual(frozen)
    for (const name of Object.keys(model.params)) {
      state.model.params[name].data.forEach((v, i) =>
        expect(v).toBeCloseTo(frozen[name].data[i] - 0.5 * grads[name].data[i], 12),
      )
    }
    expect(state.step).toBe(1)
  })
  it('update:data is log10(std(lr·grad)/std(param)), grad:data is std(grad)/std(param)', () => {
    const p = { shape: [4], data: Float64Array.of(1, -1, 1, -1) } // std 1
    const g = { shape: [4], data: Float64Array.of(2, -2, 2, -2) } // std 2
    expect(updateToDataRatio(0.01, g, p)).toBeCloseTo(Math.log10(0.02), 12)
    expect(gradToDataRatio(g, p)).toBeCloseTo(2, 12)
  })
})

describe('the training loop', () => {
  const nextBatch = sampleBatch(examples, 16)
  it('is deterministic: same seed, same losses, same model', () => {
    const run = () => {
      const [model, s] = initModel(small)(seedRng(3))
      return train(model, s, nextBatch, { name: 'test', steps: 50, schedule: lectureSchedule(50) })
    }
    const a = run(),
      b = run()
    expect(Array.from(a.history.loss)).toEqual(Array.from(b.history.loss))
    expect(a.model.params).toEqual(b.model.params)
  })
  it('lowers the loss and records update:data per weight every step, with snapshots where asked', () => {
    const [model, s] = initModel(small)(seedRng(4))
    const r = train(model, s, nextBatch, {
      name: 'test',
      steps: 300,
      schedule: lectureSchedule(300),
      snapshotSteps: [0, 299],
    })
    const first = r.history.loss.slice(0, 20).reduce((a, b) => a + b) / 20
    const last = r.history.loss.slice(-20).reduce((a, b) => a + b) / 20
    expect(last).toBeLessThan(first - 0.5)
    expect(r.history.weights).toEqual(['embedding.weight', 'linear1.weight', 'linear2.weight'])
    r.history.updateToData.forEach((u) => {
      expect(u.length).toBe(300)
      expect(u.every(Number.isFinite)).toBe(true)
    })
    expect(r.history.snapshots.map((x) => x.step)).toEqual([0, 299])
    expect(r.history.snapshots[0].params).toBe(model.params)
  })
  it('stops on a NaN or infinite loss, naming the run, the step and the last healthy figures', () => {
    const [model, s] = initModel(small)(seedRng(5))
    let caught: unknown
    try {
      train(model, s, nextBatch, {
        name: 'too-hot',
        steps: 200,
        schedule: { initial: 1e300, decayed: 1e300, decayAt: 200 },
      })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(TrainingDiverged)
    const e = caught as TrainingDiverged
    expect(e.experiment).toBe('too-hot')
    expect(e.step).toBeGreaterThan(0)
    expect(e.message).toMatch(
      /^too-hot: the loss became (NaN|Infinity) at step \d+; the last healthy step was \d+ with loss \d+\.\d{4} at learning rate 1e\+300/,
    )
  })
  it('a NaN on the very first step points at the initialisation', () => {
    const [model, s] = initModel([
      embedding(vocab.size, 4, 3),
      linear(12, vocab.size, { weightInit: scaledNormal(Number.MAX_VALUE) }),
    ])(seedRng(6))
    expect(() => train(model, s, nextBatch, { name: 'broken', steps: 5, schedule: lectureSchedule(5) })).toThrow(
      /broken: the loss became NaN at step 0 \(the very first step: check the initialisation\)/,
    )
  })
})

describe('evaluation', () => {
  it('the loss over a split is the same in chunks as in one piece', () => {
    const model = evalRng(initModel(small), 7)
    const whole = crossEntropy(predict(model, examples.X), examples.Y)
    expect(evaluateLoss(model, examples.X, examples.Y, 7)).toBeCloseTo(whole, 12)
    expect(evaluateLoss(model, examples.X, examples.Y)).toBeCloseTo(whole, 12)
  })
})
