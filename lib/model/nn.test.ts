import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as nn from './nn.ts'
import { gradientErrors } from '../engine/gradcheck.ts'
import { crossEntropy } from './loss.ts'
import { evalRng, randint, seedRng } from '../engine/random.ts'
import { kaiming, scaledNormal } from './init.ts'
import { meanAll, stdAll } from '../engine/ops.ts'
import type { Tensor } from '../engine/tensor.ts'

const V = 7,
  D = 3,
  BLOCK = 3,
  H = 8
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
/** Central differences step parameters by 1e-5; a pre-activation this far from 0 cannot cross it. */
const KINK_MARGIN = 1e-3

/** Small versions of the lecture's nets, so every parameter can be checked by central differences. */
const nets: Record<string, nn.LayerSpec[]> = {
  'tanh MLP with biases': [
    nn.embedding(V, D, BLOCK),
    nn.linear(BLOCK * D, H, { weightInit: kaiming('tanh') }),
    nn.tanhLayer(),
    nn.linear(H, V, { biasInit: scaledNormal(0.1) }),
  ],
  'BatchNorm MLP (no b1)': [
    nn.embedding(V, D, BLOCK),
    nn.linear(BLOCK * D, H, { bias: false }),
    nn.batchNorm1d(H),
    nn.tanhLayer(),
    nn.linear(H, V),
  ],
  'deep BatchNorm net': [
    nn.embedding(V, D, BLOCK),
    nn.linear(BLOCK * D, H, { bias: false }),
    nn.batchNorm1d(H, { gammaInit: scaledNormal(1) }),
    nn.tanhLayer(),
    nn.linear(H, H, { bias: false }),
    nn.batchNorm1d(H),
    nn.tanhLayer(),
    nn.linear(H, V, { bias: false }),
    nn.batchNorm1d(V),
  ],
  'ReLU MLP': [
    nn.embedding(V, D, BLOCK),
    nn.linear(BLOCK * D, H, { weightInit: kaiming('relu'), biasInit: scaledNormal(0.5) }),
    nn.reluLayer(),
    nn.linear(H, V),
  ],
}

const batchOf = (s: number, size: number) => {
  const [x, s1] = randint(0, V, size * BLOCK)(seedRng(s))
  const [y] = randint(0, V, size)(s1)
  return { x, y }
}

/** The batch loss as a function of the parameters alone. */
const lossOf = (model: nn.Model, x: Int32Array, y: Int32Array) => (values: Tensor[]) => {
  const names = Object.keys(model.params)
  const params = Object.fromEntries(names.map((n, i) => [n, values[i]]))
  return crossEntropy(nn.forward({ ...model, params }, x, 'train').logits, y)
}

describe('layers: gradients through whole networks', () => {
  for (const [name, specs] of Object.entries(nets)) {
    it(`${name}: every parameter gradient matches central differences`, () => {
      fc.assert(
        fc.property(seed, (s) => {
          const model = evalRng(nn.initModel(specs), s)
          const { x, y } = batchOf(s + 1, 6)
          const pass = nn.trainingPass(model, x, y)
          // ReLU has a kink at 0: a pre-activation that a step of central differences can push across
          // it makes the numeric gradient meaningless there, so such a draw is discarded, not checked.
          fc.pre(
            pass.trace.layers.every(
              (l, i) => l.kind !== 'relu' || pass.trace.layers[i - 1].out.data.every((v) => Math.abs(v) > KINK_MARGIN),
            ),
          )
          const names = Object.keys(model.params)
          expect(Object.keys(pass.trace.paramGrads).sort()).toEqual([...names].sort())
          const errors = gradientErrors(
            lossOf(model, x, y),
            names.map((n) => model.params[n]),
            names.map((n) => pass.trace.paramGrads[n]),
          )
          errors.forEach((e, i) => expect(e, names[i]).toBeLessThan(1e-6))
        }),
        { numRuns: 8 },
      )
    })
  }
  it('each layer.out.grad is the gradient of the loss with respect to that output', () => {
    const model = evalRng(nn.initModel(nets['BatchNorm MLP (no b1)']), 3)
    const { x, y } = batchOf(4, 5)
    const pass = nn.trainingPass(model, x, y)
    // perturb the output of layer k and run the rest of the network on it
    const k = 2 // the BatchNorm output, fed to tanh and the last linear
    const rest = { ...model, layers: model.layers.slice(k + 1) }
    const fromOut = (out: Tensor) => {
      const w = model.params['linear2.weight'],
        b = model.params['linear2.bias']
      const h = out.data.map(Math.tanh)
      const logits = new Float64Array(5 * V)
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < V; j++) {
          let sum = b.data[j]
          for (let p = 0; p < H; p++) sum += h[i * H + p] * w.data[p * V + j]
          logits[i * V + j] = sum
        }
      return crossEntropy({ shape: [5, V], data: logits }, y)
    }
    expect(rest.layers.map((l) => l.kind)).toEqual(['tanh', 'linear'])
    const [err] = gradientErrors(([o]) => fromOut(o), [pass.trace.layers[k].out], [pass.trace.layers[k].grad])
    expect(err).toBeLessThan(1e-6)
    expect(pass.trace.layers.map((l) => l.name)).toEqual(['embedding', 'linear1', 'batchnorm1', 'tanh1', 'linear2'])
  })
})

describe('BatchNorm1d', () => {
  const specs = [
    nn.embedding(V, D, BLOCK),
    nn.linear(BLOCK * D, H, { bias: false, weightInit: scaledNormal(3) }),
    nn.batchNorm1d(H, { momentum: 0.5 }),
  ]
  it('in training, each feature of its output has batch mean 0 and std 1 (before gamma and beta)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const model = evalRng(nn.initModel(specs), s)
        const { x } = batchOf(s, 32)
        const out = nn.forward(model, x, 'train').steps[2].out
        for (let j = 0; j < H; j++) {
          const col: Tensor = { shape: [32], data: Float64Array.from({ length: 32 }, (_, i) => out.data[i * H + j]) }
          expect(Math.abs(meanAll(col))).toBeLessThan(1e-9)
          const sd = stdAll(col)
          if (sd > 0) expect(sd).toBeGreaterThan(0.99) // a constant column (one repeated context) normalises to 0
        }
      }),
      { numRuns: 10 },
    )
  })
  it('moves the running statistics by the momentum; evaluation uses them and leaves them alone', () => {
    const model = evalRng(nn.initModel(specs), 1)
    const { x } = batchOf(2, 16)
    const pass = nn.forward(model, x, 'train')
    const pre = pass.steps[1].out
    const rm = pass.buffers['batchnorm1.runningMean'].data
    for (let j = 0; j < H; j++) {
      let m = 0
      for (let i = 0; i < 16; i++) m += pre.data[i * H + j] / 16
      expect(rm[j]).toBeCloseTo(0.5 * 0 + 0.5 * m, 10)
    }
    const evalPass = nn.forward({ ...model, buffers: pass.buffers }, x, 'eval')
    expect(evalPass.buffers).toEqual(pass.buffers)
    // with running mean and variance in place of the batch's, the outputs differ
    expect(Array.from(evalPass.logits.data)).not.toEqual(Array.from(pass.logits.data))
  })
  it('in evaluation one example gets the same output alone as inside a batch', () => {
    const model = evalRng(nn.initModel(specs), 5)
    const { x } = batchOf(6, 8)
    const all = nn.predict(model, x)
    const first = nn.predict(model, x.subarray(0, BLOCK))
    expect(Array.from(first.data)).toEqual(Array.from(all.data.subarray(0, H)))
  })
  it('refuses to train on a batch of one, saying why', () => {
    const model = evalRng(nn.initModel(specs), 5)
    expect(() => nn.forward(model, [1, 2, 3], 'train')).toThrow('batchnorm: training needs a batch of at least 2 rows')
  })
})

describe('models', () => {
  it("the lecture's two networks have 12,097 and 47,024 parameters", () => {
    const oneHidden = [
      nn.embedding(27, 10, 3),
      nn.linear(30, 200, { bias: false }),
      nn.batchNorm1d(200),
      nn.tanhLayer(),
      nn.linear(200, 27),
    ]
    const deep = [
      nn.embedding(27, 10, 3),
      nn.linear(30, 100, { bias: false }),
      nn.batchNorm1d(100),
      nn.tanhLayer(),
      ...Array.from({ length: 4 }, () => [
        nn.linear(100, 100, { bias: false }),
        nn.batchNorm1d(100),
        nn.tanhLayer(),
      ]).flat(),
      nn.linear(100, 27, { bias: false }),
      nn.batchNorm1d(27),
    ]
    expect(nn.parameterCount(evalRng(nn.initModel(oneHidden), 0))).toBe(12_097)
    expect(nn.parameterCount(evalRng(nn.initModel(deep), 0))).toBe(47_024)
    expect(nn.describeParams(nn.sequential(oneHidden)).map((p) => p.name)).toEqual([
      'embedding.weight',
      'linear1.weight',
      'batchnorm1.gamma',
      'batchnorm1.beta',
      'linear2.weight',
      'linear2.bias',
    ])
  })
  it('layers whose widths do not chain are refused with the layer named', () => {
    expect(() => evalRng(nn.initModel([nn.embedding(27, 10, 3), nn.linear(20, 5)]), 0)).toThrow(
      'model: layer 1 (linear1) expects 20 inputs but the previous layer gives 30',
    )
  })
  it('backward refuses a pass run in eval mode, naming the layer', () => {
    const model = evalRng(nn.initModel(nets['ReLU MLP']), 2)
    const { x } = batchOf(3, 4)
    const pass = nn.forward(model, x, 'eval')
    expect(() => nn.backward(model, pass, pass.logits)).toThrow(
      'backward: linear2 was run in eval mode; backward needs a training pass',
    )
  })
  it('the same seed gives the same model', () => {
    const a = evalRng(nn.initModel(nets['ReLU MLP']), 11),
      b = evalRng(nn.initModel(nets['ReLU MLP']), 11)
    expect(a).toEqual(b)
  })
})
