import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  crossEntropy,
  distinctHiddenUnits,
  expectedInitialLoss,
  fixOutputLayer,
  initialLoss,
  initMlp,
  mlpLogits,
  softmax,
} from './kata.ts'
import type { MlpParams, MlpScales, MlpSizes } from './types.ts'
import * as F from './feedback.ts'
import { lecture, naive } from './feedback.ts'
import * as reference from '../../solutions/01-initial-loss/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'

describe('1. the loss of a uniform guess', () => {
  it('over the 27 tokens of the names data it is -ln(1/27) = ln 27 ≈ 3.2958', () => {
    expect(
      expectedInitialLoss(27),
      'a network that gives every token probability 1/27 pays -ln(1/27) per example',
    ).toBeCloseTo(3.2958, 4)
  })
  it('law: for any vocabulary size V it is -ln(1/V) = ln V, a positive surprise that grows with V', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100_000 }), (V) => {
        expect(
          expectedInitialLoss(V),
          `expectedInitialLoss(${V}) should be ln ${V} (the loss is -ln p, positive)`,
        ).toBeCloseTo(Math.log(V), 10)
      }),
      F.runs(50),
    )
  })
})

describe('2. softmax', () => {
  it('turns logits into probabilities: [0.1, -0.2, 0.0, 0.3] gives exp(x) / sum exp(x), all in the same ballpark', () => {
    const x = [0.1, -0.2, 0.0, 0.3]
    const total = x.reduce((s, v) => s + Math.exp(v), 0)
    const p = softmax(F.matrix([x]))
    expect(p.shape, 'softmax keeps the shape [N, V] of its logits').toEqual([1, 4])
    x.forEach((v, j) => expect(p.data[j], `probability of token ${j}`).toBeCloseTo(Math.exp(v) / total, 12))
  })
  it('law: every row is a probability distribution (entries in [0, 1] that sum to 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, v, seed) => {
          const logits = { shape: [n, v], data: F.evalRng(F.randnTensor([n, v]), seed).data.map((x) => 5 * x) }
          for (const row of F.rowsOf(softmax(logits))) {
            expect(
              row.every((p) => p >= 0 && p <= 1),
              `each probability must be in [0, 1], got ${row}`,
            ).toBe(true)
            expect(
              row.reduce((s, p) => s + p, 0),
              'each row of softmax must sum to 1',
            ).toBeCloseTo(1, 12)
          }
        },
      ),
      F.runs(50),
    )
  })
  it('law: adding the same number to every logit of a row changes nothing (which is why subtracting the max is allowed)', () => {
    fc.assert(
      fc.property(F.tensorOf([3, 5], 4), F.uniformValue(50), (logits, c) => {
        const shifted = { shape: logits.shape, data: logits.data.map((x) => x + c) }
        expect(
          F.relativeError(softmax(shifted).data, softmax(logits).data),
          `softmax(x + ${c}) should equal softmax(x)`,
        ).toBeLessThan(1e-12)
      }),
      F.runs(50),
    )
  })
  it("softmax of [1000, 0] must not be NaN: subtract the row's max before exp", () => {
    const p = softmax(F.matrix([[1000, 0]]))
    expect(
      F.isFiniteTensor(p),
      `softmax of [1000, 0] must not be NaN: subtract the row's max before exp (got [${Array.from(p.data)}])`,
    ).toBe(true)
    expect(p.data[0]).toBeCloseTo(1, 12)
    expect(p.data[1]).toBeCloseTo(0, 12)
  })
  it('logits of ±1e4 give a one-hot row, not NaN: the network is (wrongly) certain', () => {
    const p = softmax(F.matrix([[-1e4, 0, 1e4]]))
    expect(
      Array.from(p.data),
      "softmax of [-1e4, 0, 1e4] must be [0, 0, 1]: subtract the row's max before exp",
    ).toEqual([0, 0, 1])
  })
  it("each row is its own distribution: subtract each row's own max, not the largest logit of the whole batch", () => {
    const p = softmax(
      F.matrix([
        [1000, 0],
        [0, 0],
      ]),
    )
    expect(
      Array.from(p.data.subarray(2)),
      "row [0, 0] must give [0.5, 0.5] whatever the other rows hold: subtract each row's own max",
    ).toEqual([0.5, 0.5])
  })
  it('leaves the logits it was given unchanged', () => {
    const logits = F.matrix([[3, 1, 2]])
    softmax(logits)
    expect(Array.from(logits.data), 'softmax must return a new tensor and not write into its input').toEqual([3, 1, 2])
  })
})

describe('3. cross-entropy', () => {
  it('is -ln of the probability given to the true token: logits [2, 1, 0] with target 0 cost -ln(e² / (e² + e + 1)) ≈ 0.4076', () => {
    expect(crossEntropy(F.matrix([[2, 1, 0]]), [0])).toBeCloseTo(
      -Math.log(Math.exp(2) / (Math.exp(2) + Math.E + 1)),
      12,
    )
  })
  it('law: equal logits give exactly ln V, whatever the batch size: the loss is the mean over the batch, not the sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 40 }), F.uniformValue(10), (n, v, c) => {
        const targets = Array.from({ length: n }, (_, i) => i % v)
        const loss = crossEntropy(F.full([n, v], c), targets)
        expect(
          loss,
          `${n} rows of ${v} equal logits (all ${c}) with targets [${targets.join(', ')}]: each row costs -ln p of its own target = ln ${v}, and the loss is the mean over the batch, not the sum; got ${loss}` +
            (Number.isNaN(loss)
              ? ": NaN, was a target read outside its row? Row i's target is logits.data[i * V + targets[i]]"
              : ''),
        ).toBeCloseTo(Math.log(v), 10)
      }),
      F.runs(50),
    )
  })
  it('law: it is the mean over rows of -ln softmax(logits)[target]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 27 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, v, seed) => {
          const [raw, s] = F.randnTensor([n, v])(F.seedRng(seed))
          // logits rounded to 2 decimals, so the numbers in the message are exactly the ones tested
          const logits: F.Tensor = { shape: raw.shape, data: raw.data.map((x) => Math.round(x * 100) / 100) }
          const [targets] = F.randint(0, v, n)(s)
          const expected = F.engineCrossEntropy(logits, targets)
          const yours = crossEntropy(logits, targets)
          expect(
            yours,
            Math.abs(yours - expected) < 5e-11 ? '' : F.crossEntropyLawVerdict(logits, targets),
          ).toBeCloseTo(expected, 10)
        },
      ),
      F.runs(50),
    )
  })
  it('repeating every example of a batch twice leaves the loss unchanged: the mean over the batch, not the sum', () => {
    const logits = F.matrix([
      [2, 0, -1],
      [0.5, 0.5, 3],
    ])
    const twice = F.matrix([
      [2, 0, -1],
      [0.5, 0.5, 3],
      [2, 0, -1],
      [0.5, 0.5, 3],
    ])
    const once = crossEntropy(logits, [1, 2]),
      both = crossEntropy(twice, [1, 2, 1, 2])
    expect(
      both,
      `the same examples twice must give the same loss (yours: ${F.num(both)} for them twice, ${F.num(once)} once): each row costs -ln p of its own target (row i's is logits.data[i * V + targets[i]]), then take the mean over the batch, not the sum`,
    ).toBeCloseTo(once, 12)
  })
  it('logits [0, 1e4] with target 0 cost 1e4, not Infinity: compute -ln p from the logits (log-sum-exp)', () => {
    const loss = crossEntropy(F.matrix([[0, 1e4]]), [0])
    expect(
      Number.isFinite(loss),
      `got ${loss}: p underflowed to 0 and -ln 0 is Infinity; compute -ln p from the logits (log-sum-exp)`,
    ).toBe(true)
    expect(
      loss,
      `logits [0, 1e4] with target 0 should cost -ln p_0 = ln(sum_k exp(x_k - m)) + m - x_0 = ln(e^-1e4 + 1) + 1e4 - 0 = 1e4 (m = 1e4, the row's max), got ${loss}: take -ln p of the target from log-sum-exp`,
    ).toBeCloseTo(1e4, 6)
  })
  it("rows with very different maxima, [1000, 0, 0] and [0, 1, 2]: each row is shifted by its own max, not the batch's", () => {
    const logits = F.matrix([
      [1000, 0, 0],
      [0, 1, 2],
    ])
    const got = crossEntropy(logits, [0, 2])
    const want = (Math.log(1 + 2 * Math.exp(-1000)) + Math.log(Math.exp(-2) + Math.exp(-1) + 1)) / 2
    expect(got, F.crossEntropySlip(logits, [0, 2], got)).toBeCloseTo(want, 12)
  })
  it('logits [1e4, 0] with target 0 cost 0, not NaN: confidently right is free', () => {
    const loss = crossEntropy(F.matrix([[1e4, 0]]), [0])
    expect(
      loss,
      "a correct, certain prediction costs 0; NaN means exp(1e4) overflowed: subtract the row's max before exp",
    ).toBeCloseTo(0, 12)
  })
})

describe("4. the lecture's MLP at initialisation", () => {
  it('initMlp gives every parameter its shape: C [27, 10], W1 [30, 200], b1 [200], W2 [200, 27], b2 [27]', () => {
    const p = initMlp(lecture, naive, 1)
    expect(p.C.shape, 'C is the embedding table [vocabSize, embeddingDim]').toEqual([27, 10])
    expect(p.W1.shape, 'W1 is [blockSize * embeddingDim, hidden]').toEqual([30, 200])
    expect(p.b1.shape, 'b1 is [hidden]').toEqual([200])
    expect(p.W2.shape, 'W2 is [hidden, vocabSize]').toEqual([200, 27])
    expect(p.b2.shape, 'b2 is [vocabSize]').toEqual([27])
  })
  it('initMlp draws randn × scale: each parameter has about the std its scale asks for, and a scale of 0 gives zeros', () => {
    const p = initMlp(lecture, { w1: 0.2, b1: 0.5, w2: 0.01, b2: 0 }, 2)
    expect(F.stdAll(p.C), 'C is randn × 1: std about 1').toBeGreaterThan(0.8)
    expect(F.stdAll(p.C), 'C is randn × 1: std about 1').toBeLessThan(1.2)
    const near = (t: F.Tensor, s: number, name: string, tol: number) => {
      expect(
        Math.abs(F.stdAll(t) / s - 1),
        `${name} should be randn × ${s}, so its std should be about ${s}; got ${F.stdAll(t).toPrecision(3)}`,
      ).toBeLessThan(tol)
    }
    near(p.W1, 0.2, 'W1', 0.06)
    near(p.b1, 0.5, 'b1', 0.2)
    near(p.W2, 0.01, 'W2', 0.06)
    expect(
      p.b2.data.every((v) => v === 0),
      'b2 is randn × 0: every entry 0',
    ).toBe(true)
  })
  it('initMlp with the same seed gives the same parameters, and another seed gives others', () => {
    const a = initMlp(lecture, naive, 7),
      b = initMlp(lecture, naive, 7),
      c = initMlp(lecture, naive, 8)
    expect(Array.from(a.W1.data), 'seed 7 twice must give the same W1: draw from seedRng(seed)').toEqual(
      Array.from(b.W1.data),
    )
    expect(Array.from(a.W1.data), 'seeds 7 and 8 must give different W1').not.toEqual(Array.from(c.W1.data))
  })
  it("initMlp draws C, W1, b1, W2 and b2 from ONE generator, as the lecture's g: no two of them start from the same random numbers", () => {
    // powers of two as scales, so dividing by them gives the draws back exactly
    const scales: MlpScales = { w1: 0.5, b1: 0.25, w2: 0.125, b2: 2 }
    const drawn = F.drawOrder(initMlp(lecture, scales, 9), scales).map(({ name, t, scale }) => ({
      name,
      d: t.data.map((v) => v / scale),
    }))
    drawn.forEach((a, i) =>
      drawn.slice(i + 1).forEach((b) => {
        expect(
          F.sameDraws(b.d, a.d, Math.min(16, a.d.length, b.d.length)),
          `${a.name} and ${b.name} start with the same random numbers (${b.name}'s are ${a.name}'s times its scale): each was drawn from seedRng(seed) afresh, so the parameters are copies of one another; ${F.THREAD}`,
        ).toBe(false)
      }),
    )
  })
  it('initMlp draws them in that order, C, W1, b1, W2, b2, each continuing the stream where the last one stopped', () => {
    // every tensor of even size, so a tensor drawn whole or row by row takes the same numbers from the
    // stream (randn draws its normals in pairs); the scales are powers of two, so dividing gives the draws back exactly
    const sizes: MlpSizes = { vocabSize: 6, blockSize: 2, embeddingDim: 2, hidden: 4 }
    const scales: MlpScales = { w1: 0.5, b1: 0.25, w2: 0.125, b2: 2 },
      s = 11
    const counts = [6 * 2, 4 * 4, 4, 4 * 6, 6]
    let state: F.RngState = F.seedRng(s)
    F.drawOrder(initMlp(sizes, scales, s), scales).forEach(({ name, t, scale }, i, all) => {
      const [want, next] = F.randn(counts[i])(state)
      state = next
      const yours = t.data.map((v) => v / scale)
      expect(Array.from(yours), F.streamVerdict(name, all[i - 1]?.name, yours, want, s, scale)).toEqual(
        Array.from(want),
      )
    })
  })
  it("law: mlpLogits computes h = tanh(C[X] @ W1 + b1), logits = h @ W2 + b2, as the engine's forward pass does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        (seed, blockSize, n) => {
          const sizes: MlpSizes = { vocabSize: 7, blockSize, embeddingDim: 3, hidden: 5 }
          const [a, s1] = F.randnTensor([7, 3])(F.seedRng(seed))
          const [w1, s2] = F.randnTensor([3 * blockSize, 5])(s1)
          const [b1, s3] = F.randnTensor([5])(s2)
          const [w2, s4] = F.randnTensor([5, 7])(s3)
          const [b2, s5] = F.randnTensor([7])(s4)
          const [X] = F.randint(0, sizes.vocabSize, n * blockSize)(s5)
          const p: MlpParams = { C: a, W1: w1, b1, W2: w2, b2 }
          const logits = mlpLogits(p, X)
          expect(logits.shape, `${n} contexts of ${blockSize} tokens give logits [${n}, 7]`).toEqual([n, 7])
          expect(
            F.relativeError(logits.data, F.predict(F.asModel(p), X).data),
            'logits differ from the forward pass h = tanh(emb @ W1 + b1), logits = h @ W2 + b2',
          ).toBeLessThan(1e-12)
        },
      ),
      F.runs(25),
    )
  })
  it('the naive net (every parameter randn × 1) starts confidently wrong: its first loss is about 27, not 3.3', () => {
    const nets = [1, 2, 3].map((seed) => ({ p: initMlp(lecture, naive, seed), batch: F.batchOf(256, 100 + seed) }))
    const losses = nets.map(({ p, batch }) => initialLoss(p, batch))
    const mean = losses.reduce((s, l) => s + l, 0) / losses.length
    const blame = nets.map(({ p, batch }) => F.crossEntropyVerdict(p, batch)).find((v) => v !== undefined)
    expect(
      mean,
      `the naive net's first loss should be far above ln 27 (the lecture saw 27), got ${mean.toFixed(2)}: ${blame ?? 'are W2 and b2 drawn as randn × 1?'}`,
    ).toBeGreaterThan(15)
    expect(
      mean,
      `the naive net's first loss should be about 27, got ${mean.toFixed(2)}${blame === undefined ? '' : `: ${blame}`}`,
    ).toBeLessThan(45)
  })
})

describe('5. fixing the output layer', () => {
  it('fixOutputLayer starts b2 at zero and W2 small but random, and keeps the hidden layer as it was', () => {
    const fixed = fixOutputLayer(naive)
    expect(fixed.b2, 'b2 should start at 0: a random bias only pushes the logits away from uniform').toBe(0)
    expect(fixed.w2, 'W2 should be scaled down (the lecture: × 0.01)').toBeLessThanOrEqual(0.05)
    expect(
      fixed.w2,
      'W2 should stay random (a scale above 0): weights of exactly zero are where symmetry problems start',
    ).toBeGreaterThan(0)
    expect({ w1: fixed.w1, b1: fixed.b1 }, 'the output fix leaves W1 and b1 alone').toEqual({ w1: 1, b1: 1 })
  })
  it('fixOutputLayer keeps whatever hidden layer it is given: w1 and b1 come back unchanged', () => {
    for (const scales of [
      { w1: 0.2, b1: 0.01, w2: 1, b2: 1 },
      { w1: 5 / 3, b1: 0, w2: 1, b2: 1 },
    ]) {
      const fixed = fixOutputLayer(scales)
      expect(
        { w1: fixed.w1, b1: fixed.b1 },
        `fixOutputLayer(${JSON.stringify(scales)}) must leave w1 and b1 as they came in (the output fix touches only W2 and b2): return { ...scales, w2, b2 }`,
      ).toEqual({ w1: scales.w1, b1: scales.b1 })
      expect(fixed.b2, 'b2 should start at 0 whatever the hidden layer').toBe(0)
      expect(
        fixed.w2,
        'W2 should be drawn small but random (the lecture: × 0.01) whatever the hidden layer',
      ).toBeGreaterThan(0)
      expect(
        fixed.w2,
        'W2 should be drawn small but random (the lecture: × 0.01) whatever the hidden layer',
      ).toBeLessThanOrEqual(0.05)
    }
  })
  it('after the fix, the first loss is within 0.1 of ln 27 ≈ 3.2958: the net starts on the plateau, not the hockey stick', () => {
    for (const seed of [1, 2, 3]) {
      const p = initMlp(lecture, fixOutputLayer(naive), seed),
        batch = F.batchOf(256, 100 + seed)
      const loss = initialLoss(p, batch)
      expect(
        Math.abs(loss - F.LN27),
        `seed ${seed}: first loss ${loss.toFixed(4)} is not within 0.1 of ln 27 = 3.2958; ${F.crossEntropyVerdict(p, batch) ?? 'are the logits near 0 (b2 = 0, W2 × 0.01)?'}`,
      ).toBeLessThan(0.1)
    }
  })
})

describe('6. symmetry: why small random numbers and not zeros', () => {
  it('distinctHiddenUnits counts the different columns of W1 (each with its bias b1[j])', () => {
    // 3 inputs, 4 units: units 0, 1 and 3 have the same weights, unit 2 differs
    const W1 = F.matrix([
      [1, 1, 2, 1],
      [3, 3, 3, 3],
      [0, 0, 0, 0],
    ])
    expect(
      distinctHiddenUnits(W1, F.vector([0, 0, 0, 0])),
      'columns [1,3,0], [1,3,0], [2,3,0], [1,3,0] with equal biases are 2 different units (a unit is a column of W1; the 3 rows are its inputs)',
    ).toBe(2)
    expect(distinctHiddenUnits(W1, F.vector([0, 0, 0, 5])), 'a unit whose bias differs is a different unit').toBe(3)
    expect(distinctHiddenUnits(W1, F.vector([0, 1e-12, 0, 0])), 'numbers within the tolerance count as equal').toBe(2)
  })
  it('a randomly initialised layer has as many distinct units as units', () => {
    const p = initMlp(lecture, fixOutputLayer(naive), 3)
    expect(
      distinctHiddenUnits(p.W1, p.b1),
      '200 random units are 200 different units: count the 200 columns of W1 (one per unit), not its 30 rows (one per input)',
    ).toBe(200)
  })
  it('all-zero weights: every hidden unit receives the same gradient, so after 20 SGD steps they are still one unit', () => {
    const C = F.evalRng(F.randnTensor([27, 10]), 4)
    const start: MlpParams = {
      C,
      W1: F.zeros([30, 200]),
      b1: F.zeros([200]),
      W2: F.zeros([200, 27]),
      b2: F.zeros([27]),
    }
    expect(
      distinctHiddenUnits(start.W1, start.b1),
      'all-zero weights and biases: the 200 units start as one unit',
    ).toBe(1)
    const { params, dW1, db1 } = F.trainFor(start, 20, 500)
    expect(distinctHiddenUnits(dW1, db1), 'with zero weights the 200 units get identical gradients').toBe(1)
    expect(
      distinctHiddenUnits(params.W1, params.b1),
      'identical gradients, identical updates: the 200 units are still clones (the symmetry problem)',
    ).toBe(1)
  })
  it('weights that start equal but not zero stay clones too: identical units get identical, non-zero updates', () => {
    const C = F.evalRng(F.randnTensor([27, 10]), 5)
    const start: MlpParams = {
      C,
      W1: F.full([30, 200], 0.1),
      b1: F.zeros([200]),
      W2: F.zeros([200, 27]),
      b2: F.zeros([27]),
    }
    expect(distinctHiddenUnits(start.W1, start.b1), 'every weight 0.1: the 200 units start as one unit').toBe(1)
    const { params, dW1, db1 } = F.trainFor(start, 20, 600)
    expect(
      dW1.data.some((g) => Math.abs(g) > 1e-8),
      'these units do learn (their gradient is not zero)',
    ).toBe(true)
    expect(distinctHiddenUnits(dW1, db1), 'units that compute the same thing receive the same gradient').toBe(1)
    expect(
      distinctHiddenUnits(params.W1, params.b1),
      'after 20 steps the units are still clones: 200 units doing the work of one',
    ).toBe(1)
  })
  it('small random weights break the symmetry: after the same 20 steps, all 200 units differ', () => {
    const start = initMlp(lecture, { w1: 0.2, b1: 0.01, w2: 0.01, b2: 0 }, 6)
    expect(
      distinctHiddenUnits(start.W1, start.b1),
      'random starting points give 200 different units: count the columns of W1',
    ).toBe(200)
    const { params } = F.trainFor(start, 20, 700)
    expect(distinctHiddenUnits(params.W1, params.b1), 'and after 20 steps they are still 200 different units').toBe(200)
  })
})

describe('7. the reference laws: every function agrees with the reference answer on inputs of every shape, sign and size', () => {
  const sizes = fc.record({
    vocabSize: fc.integer({ min: 1, max: 7 }),
    blockSize: fc.integer({ min: 1, max: 4 }),
    embeddingDim: fc.integer({ min: 1, max: 3 }),
    hidden: fc.integer({ min: 1, max: 5 }),
  })
  const scale = fc.oneof(L.anyValue(3), fc.constantFrom(0, 1))
  const scales = fc.record({ w1: scale, b1: scale, w2: scale, b2: scale })
  const params = fc.tuple(sizes, scales, L.anySeed).map(([z, s, seed]) => reference.initMlp(z, s, seed))
  const withContexts = params.chain((p) =>
    fc.integer({ min: 1, max: 5 }).chain((n) => {
      const block = p.W1.shape[0] / p.C.shape[1]
      return fc.tuple(
        fc.constant(p),
        fc.record({ X: L.indicesInto(p.C.shape[0], n * block), Y: L.indicesInto(p.C.shape[0], n) }),
      )
    }),
  )
  const logitsAndTargets = L.anyMatrix().chain((m) => fc.tuple(fc.constant(m), L.indicesInto(m.shape[1], m.shape[0])))
  // columns built from a few base units, each copy either exact, nudged within half the tolerance or far off
  const units = fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 7 }),
      fc.oneof(fc.constant(1e-9), L.anyValue(0.5).map(Math.abs)),
    )
    .chain(([fanIn, hidden, tolerance]) =>
      fc
        .tuple(
          fc.array(fc.array(L.anyValue(3), { minLength: fanIn + 1, maxLength: fanIn + 1 }), {
            minLength: 1,
            maxLength: 3,
          }),
          fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 0.5, -0.5, 3, -4), fc.nat({ max: fanIn })), {
            minLength: hidden,
            maxLength: hidden,
          }),
        )
        .map(([bases, picks]) => {
          const columns = picks.map(([b, nudge, at]) => {
            const base = bases[b % bases.length].slice()
            base[at] += nudge * tolerance
            return base
          })
          const W1 = {
            shape: [fanIn, hidden],
            data: Float64Array.from({ length: fanIn * hidden }, (_, k) => columns[k % hidden][Math.floor(k / hidden)]),
          }
          const b1 = { shape: [hidden], data: Float64Array.from(columns, (c) => c[fanIn]) }
          return [W1, b1, tolerance] as const
        }),
    )
  const laws = [
    R.law(
      'expectedInitialLoss',
      expectedInitialLoss,
      reference.expectedInitialLoss,
      fc.tuple(fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1e7 }))),
      ['vocabSize'],
    ),
    R.law('softmax', softmax, reference.softmax, fc.tuple(L.anyMatrix()), ['logits']),
    R.law('crossEntropy', crossEntropy, reference.crossEntropy, logitsAndTargets, ['logits', 'targets']),
    R.law('initMlp', initMlp, reference.initMlp, fc.tuple(sizes, scales, L.anySeed), ['sizes', 'scales', 'seed']),
    R.law(
      'mlpLogits',
      mlpLogits,
      reference.mlpLogits,
      withContexts.map(([p, b]) => [p, b.X] as const),
      ['params', 'X'],
      { tolerance: { relative: 1e-9, absolute: 1e-9 } },
    ),
    R.law('initialLoss', initialLoss, reference.initialLoss, withContexts, ['params', 'batch'], {
      tolerance: { relative: 1e-9, absolute: 1e-9 },
    }),
    // the tests pass in the naive output layer, so w2 is 1 (`w2: 0.01` and `w2: scales.w2 * 0.01` are both right)
    R.law(
      'fixOutputLayer',
      fixOutputLayer,
      reference.fixOutputLayer,
      fc.tuple(fc.record({ w1: scale, b1: scale, w2: fc.constant(1), b2: scale })),
      ['scales'],
    ),
    R.law('distinctHiddenUnits', distinctHiddenUnits, reference.distinctHiddenUnits, units, ['W1', 'b1', 'tolerance']),
  ]
  R.describeLaws(laws, it)
})
