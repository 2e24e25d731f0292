import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { batchNorm1d, deepMlp, lectureMlp, linear, parameterCount, sequential, tanhLayer, type Layer, type Mode, type Network } from './kata.ts'
import { add, gather, matmul, tanh } from '../../lib/ops.ts'
import { crossEntropy } from '../../lib/loss.ts'
import { vjpErrors } from '../../lib/gradcheck.ts'
import { tensorOf } from '../../lib/arbitraries.ts'
import { evalRng, randint } from '../../lib/random.ts'
import { ones, reshape, showShape, zeros, type Tensor } from '../../lib/tensor.ts'

// ---------------------------------------------------------------------------------------------
// Helpers

const size = fc.integer({ min: 1, max: 5 })
const batch = fc.integer({ min: 3, max: 6 })

/** Columns of a [m, n] matrix as arrays. */
const columns = (t: Tensor): number[][] => {
  const [m, n] = t.shape
  return Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => t.data[i * n + j]))
}
const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const varOf = (xs: readonly number[], correction = 0) => {
  const mu = meanOf(xs)
  return xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - correction)
}
const maxAbsDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0)

/** BatchNorm's gradient is ill-conditioned when a feature barely varies in the batch; keep batches that vary. */
const everyColumnVaries = (x: Tensor) => columns(x).every((c) => varOf(c) > 0.1)

/**
 * Checks a layer's backward against central differences of L = sum(out * g): the input's gradient
 * and every parameter's (the layer is rebuilt from perturbed parameters by `make`).
 * Returns a message naming what is wrong, or undefined when all is well.
 */
const backwardProblems = (what: string, make: (params: Tensor[]) => Layer, params: Tensor[], x: Tensor, g: Tensor, names: string[], mode: Mode = 'train', tolerance = 1e-5): string | undefined => {
  const pass = make(params).forward(x, mode)
  const grads = pass.backward(g)
  if (grads.paramGrads.length !== params.length) {
    return `${what}: backward returned ${grads.paramGrads.length} parameter gradients for ${params.length} parameters (${names.slice(1).join(', ')})`
  }
  const claimed = [grads.inputGrad, ...grads.paramGrads]
  const inputs = [x, ...params]
  for (let k = 0; k < inputs.length; k++) {
    if (claimed[k].data.length !== inputs[k].data.length) {
      return `${what}: the gradient of ${names[k]} has shape ${showShape(claimed[k].shape)} but ${names[k]} has shape ${showShape(inputs[k].shape)}`
    }
  }
  const errors = vjpErrors(
    ([xx, ...ps]) => make(ps).forward(xx, mode).out,
    () => claimed,
    inputs, g,
  )
  const bad = errors.findIndex((e) => !(e < tolerance))
  return bad === -1 ? undefined : `${what}: the gradient of ${names[bad]} differs from central differences (relative error ${errors[bad].toExponential(2)})`
}

/** Logits of a network for contexts of character indices, in the given mode. */
const logitsOf = (net: Network, contexts: Int32Array, mode: Mode) => {
  const dim = net.embedding.shape[1]
  const emb = reshape(gather(net.embedding, contexts), [-1, net.blockSize * dim])
  return net.body.forward(emb, mode).out
}

// ---------------------------------------------------------------------------------------------

describe('Linear', () => {
  const linearCase = fc.tuple(batch, size, size).chain(([m, fanIn, fanOut]) =>
    fc.record({ x: tensorOf([m, fanIn]), w: tensorOf([fanIn, fanOut]), b: tensorOf([fanOut]), g: tensorOf([m, fanOut]) }))

  it('computes out = x @ W + b, with parameters [weight, bias]', () => {
    fc.assert(fc.property(linearCase, ({ x, w, b }) => {
      const layer = linear(w, b)
      expect(layer.kind).toBe('linear')
      expect(layer.parameters.map((p) => showShape(p.shape)), 'Linear.parameters should be [weight, bias]').toEqual([showShape(w.shape), showShape(b.shape)])
      expect(maxAbsDiff(layer.forward(x).out, add(matmul(x, w), b)), 'Linear: out should be x @ W + b').toBeLessThan(1e-9)
      expect(linear(w).parameters.length, 'a Linear without bias has one parameter, its weight').toBe(1)
      expect(maxAbsDiff(linear(w).forward(x).out, matmul(x, w)), 'Linear without bias: out should be x @ W').toBeLessThan(1e-9)
    }), { numRuns: 20 })
  })

  it('backward gives x.grad = out.grad @ Wᵀ, W.grad = xᵀ @ out.grad and b.grad summed over the batch (checked numerically)', () => {
    fc.assert(fc.property(linearCase, ({ x, w, b, g }) => {
      const withBias = backwardProblems('Linear backward', ([ww, bb]) => linear(ww, bb), [w, b], x, g, ['x', 'weight', 'bias'])
      expect(withBias, `${withBias}. The bias is added to every row, so its gradient sums out.grad over the batch`).toBeUndefined()
      const noBias = backwardProblems('Linear (no bias) backward', ([ww]) => linear(ww), [w], x, g, ['x', 'weight'])
      expect(noBias, noBias).toBeUndefined()
    }), { numRuns: 20 })
  })
})

describe('Tanh', () => {
  it('computes tanh(x), has no parameters, and its backward is out.grad * (1 - t²) (checked numerically)', () => {
    fc.assert(fc.property(fc.tuple(batch, size).chain(([m, n]) => fc.tuple(tensorOf([m, n], 3), tensorOf([m, n]))), ([x, g]) => {
      const layer = tanhLayer()
      expect(layer.kind).toBe('tanh')
      expect(layer.parameters).toEqual([])
      expect(maxAbsDiff(layer.forward(x).out, tanh(x)), 'Tanh: out should be tanh(x)').toBeLessThan(1e-12)
      const problem = backwardProblems('Tanh backward', () => tanhLayer(), [], x, g, ['x'])
      expect(problem, `${problem}. tanh's local gradient is 1 - t², read off the output t: near 0 where the unit saturates`).toBeUndefined()
    }), { numRuns: 20 })
  })
})

describe('BatchNorm1d', () => {
  const bnCase = fc.tuple(fc.integer({ min: 4, max: 8 }), size).chain(([m, n]) =>
    fc.record({ x: tensorOf([m, n], 3), gamma: tensorOf([n]), beta: tensorOf([n]), g: tensorOf([m, n]) }))

  it('in training, grades on a curve: each feature comes out with mean beta and std |gamma| over the batch', () => {
    fc.assert(fc.property(bnCase, ({ x, gamma, beta }) => {
      fc.pre(everyColumnVaries(x))
      const n = x.shape[1]
      const plain = batchNorm1d(n)
      expect(plain.kind).toBe('batchnorm')
      expect(plain.parameters.map((p) => Array.from(p.data)), 'a fresh BatchNorm1d has parameters [gamma = ones, beta = zeros]')
        .toEqual([Array(n).fill(1), Array(n).fill(0)])
      const out = batchNorm1d(n, { gamma, beta }).forward(x, 'train').out
      columns(out).forEach((col, j) => {
        expect(Math.abs(meanOf(col) - beta.data[j]), `feature ${j}: the batch mean of the output should be beta`).toBeLessThan(1e-6)
        // the biased and the unbiased variance are both accepted; eps makes the std a hair smaller
        const std = Math.sqrt(varOf(col)), target = Math.abs(gamma.data[j])
        expect(std, `feature ${j}: the batch std of the output should be |gamma| = ${target.toFixed(4)} (normalise with the batch's own mean and std)`)
          .toBeGreaterThan(target * Math.sqrt((col.length - 1) / col.length) * 0.999 - 1e-9)
        expect(std).toBeLessThan(target * 1.001 + 1e-9)
      })
    }), { numRuns: 25 })
  })

  it('backward is right for x, gamma and beta (checked numerically): the batch mean and variance depend on every row', () => {
    fc.assert(fc.property(bnCase, ({ x, gamma, beta, g }) => {
      fc.pre(everyColumnVaries(x))
      const problem = backwardProblems('BatchNorm1d backward', ([gm, bt]) => batchNorm1d(x.shape[1], { gamma: gm, beta: bt }), [gamma, beta], x, g, ['x', 'gamma', 'beta'])
      expect(problem, `${problem}. In training the batch mean and variance depend on every row, so each row's x.grad has terms from the whole batch`).toBeUndefined()
    }), { numRuns: 25 })
  })

  it('a training pass moves the running statistics by the momentum and leaves the old layer as it was', () => {
    fc.assert(fc.property(bnCase, fc.double({ min: 0.01, max: 0.9, noNaN: true }), ({ x }, momentum) => {
      const n = x.shape[1]
      const layer = batchNorm1d(n, { momentum })
      const next = layer.forward(x, 'train').layer
      expect(next.buffers.length, 'BatchNorm1d.buffers should be [runningMean, runningVar]').toBe(2)
      const [rm, rv] = next.buffers
      columns(x).forEach((col, j) => {
        expect(rm.data[j], `feature ${j}: runningMean = (1 - momentum) * 0 + momentum * batch mean`).toBeCloseTo(momentum * meanOf(col), 9)
        // torch keeps the unbiased variance; the biased one is accepted too
        const unbiased = (1 - momentum) + momentum * varOf(col, 1), biased = (1 - momentum) + momentum * varOf(col)
        expect(Math.min(Math.abs(rv.data[j] - unbiased), Math.abs(rv.data[j] - biased)),
          `feature ${j}: runningVar = (1 - momentum) * 1 + momentum * batch variance`).toBeLessThan(1e-9)
      })
      expect(Array.from(layer.buffers[0].data), 'the layer you called forward on keeps its running mean: the pass returns a new layer').toEqual(Array(n).fill(0))
      expect(Array.from(layer.buffers[1].data)).toEqual(Array(n).fill(1))
    }), { numRuns: 20 })
  })

  it("in eval mode normalises with the running statistics, so a row's output does not depend on the rest of the batch", () => {
    fc.assert(fc.property(bnCase, ({ x, gamma, beta }) => {
      const n = x.shape[1]
      const runningMean = { shape: [1, n], data: Float64Array.from(beta.data, (v) => v / 2) }
      const runningVar = { shape: [1, n], data: Float64Array.from(gamma.data, (v) => 0.5 + v * v) }
      const layer = batchNorm1d(n, { gamma, beta, runningMean, runningVar })
      const out = layer.forward(x, 'eval').out
      for (let i = 0; i < x.shape[0]; i++) for (let j = 0; j < n; j++) {
        const want = gamma.data[j] * (x.data[i * n + j] - runningMean.data[j]) / Math.sqrt(runningVar.data[j] + 1e-5) + beta.data[j]
        expect(Math.abs(out.data[i * n + j] - want), `eval mode, row ${i}, feature ${j}: use runningMean and runningVar, not the batch's statistics`).toBeLessThan(1e-9)
      }
      const firstRow = { shape: [1, n], data: x.data.slice(0, n) }
      expect(Array.from(layer.forward(firstRow, 'eval').out.data), 'eval mode: one example alone gets the same output as inside a batch').toEqual(Array.from(out.data.slice(0, n)))
      expect(Array.from(layer.forward(x, 'eval').layer.buffers[0].data), 'eval mode leaves the running statistics alone').toEqual(Array.from(runningMean.data))
    }), { numRuns: 20 })
  })
})

describe('Sequential', () => {
  /**
   * Linear (no bias, as before a BatchNorm) -> BatchNorm1d -> Tanh -> Linear, with random sizes and weights.
   * (BatchNorm makes the loss blind to the scale of W1's columns, so W1's gradient can be small:
   * the whole-stack check allows a relative error of 1e-4.)
   */
  const stackCase = fc.tuple(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), size).chain(([m, d, h, o]) =>
    fc.record({ x: tensorOf([m, d]), w1: tensorOf([d, h]), w2: tensorOf([h, o]), b2: tensorOf([o]), g: tensorOf([m, o]) }))
  const stack = ({ w1, w2, b2 }: { w1: Tensor; w2: Tensor; b2: Tensor }) => [linear(w1), batchNorm1d(w1.shape[1]), tanhLayer(), linear(w2, b2)]
  const preactsVary = ({ x, w1 }: { x: Tensor; w1: Tensor }) => everyColumnVaries(matmul(x, w1))

  it("keeps every layer's out, in order, each the next layer's input; its parameters are every layer's", () => {
    fc.assert(fc.property(stackCase, (c) => {
      const layers = stack(c)
      const seq = sequential(layers)
      expect(seq.kind).toBe('sequential')
      expect(seq.parameters.map((p) => showShape(p.shape)), "Sequential.parameters: every layer's parameters, in layer order")
        .toEqual(layers.flatMap((l) => l.parameters).map((p) => showShape(p.shape)))
      const pass = seq.forward(c.x)
      expect(pass.outs.length, 'one out per layer').toBe(layers.length)
      let h = c.x
      layers.forEach((l, i) => {
        h = l.forward(h).out
        expect(maxAbsDiff(pass.outs[i], h), `outs[${i}] should be layer ${i}'s output for the previous layer's output`).toBeLessThan(1e-9)
      })
      expect(maxAbsDiff(pass.out, h), 'out is the last layer\'s out').toBeLessThan(1e-12)
    }), { numRuns: 25 })
  })

  it("after backward, every out.grad is the gradient of the loss with respect to that layer's out (checked numerically)", () => {
    fc.assert(fc.property(stackCase, (c) => {
      fc.pre(preactsVary(c))
      const layers = stack(c)
      const pass = sequential(layers).forward(c.x)
      const grads = pass.backward(c.g)
      expect(grads.outGrads.length, 'one out.grad per layer').toBe(layers.length)
      for (let i = 0; i < layers.length; i++) {
        // L = sum(final out * g) as a function of layer i's out: run the remaining layers on it
        const rest = (o: Tensor) => layers.slice(i + 1).reduce((h, l) => l.forward(h).out, o)
        const what = `outGrads[${i}] (layer ${i}, ${layers[i].kind}) is not d loss / d (that layer's out): record the gradient that reaches each layer's out, then pass the layer's inputGrad on to the layer before it`
        expect(showShape(grads.outGrads[i].shape), `${what} (their shapes differ)`).toBe(showShape(pass.outs[i].shape))
        const [claimed] = vjpErrors(([o]) => rest(o), () => [grads.outGrads[i]], [pass.outs[i]], c.g)
        expect(claimed, what).toBeLessThan(1e-5)
      }
      const h = c.w1.shape[1]
      const make = ([w1, gamma, beta, w2, b2]: Tensor[]) => sequential([linear(w1), batchNorm1d(h, { gamma, beta }), tanhLayer(), linear(w2, b2)])
      const whole = backwardProblems('Sequential backward', make, [c.w1, ones([h]), zeros([h]), c.w2, c.b2], c.x, c.g, ['x', 'W1', 'gamma', 'beta', 'W2', 'b2'], 'train', 1e-4)
      expect(whole, `${whole}. paramGrads lists every layer's parameter gradients, in the order of Sequential.parameters`).toBeUndefined()
    }), { numRuns: 8 })
  })

  it('a Sequential is a layer: nesting one inside another changes nothing (outputs and gradients)', () => {
    fc.assert(fc.property(stackCase, (c) => {
      const [a, b, t, d] = stack(c)
      const flat = sequential([a, b, t, d]).forward(c.x)
      const nested = sequential([a, sequential([b, t]), d]).forward(c.x)
      expect(maxAbsDiff(nested.out, flat.out), 'sequential([a, sequential([b, c]), d]) should compute what sequential([a, b, c, d]) does').toBeLessThan(1e-12)
      const gf = flat.backward(c.g), gn = nested.backward(c.g)
      expect(maxAbsDiff(gn.inputGrad, gf.inputGrad), 'nesting should not change x.grad').toBeLessThan(1e-12)
      expect(gn.paramGrads.map((p) => Array.from(p.data)), 'nesting should not change the parameter gradients or their order').toEqual(gf.paramGrads.map((p) => Array.from(p.data)))
    }), { numRuns: 20 })
  })

  it("a training pass hands back the Sequential with BatchNorm's running statistics moved; eval mode then uses them", () => {
    fc.assert(fc.property(stackCase, (c) => {
      const seq = sequential(stack(c))
      const after = seq.forward(c.x, 'train').layer
      expect(after.kind).toBe('sequential')
      expect(after.buffers.length, "Sequential.buffers: every layer's buffers (BatchNorm's running mean and variance)").toBe(2)
      const moved = after.buffers[0].data.some((v) => v !== 0)
      expect(moved, "the Sequential a training pass returns should hold the BatchNorm whose running mean moved").toBe(true)
      const oneRow = { shape: [1, c.x.shape[1]], data: c.x.data.slice(0, c.x.shape[1]) }
      const alone = after.forward(oneRow, 'eval').out, inBatch = after.forward(c.x, 'eval').out
      expect(Array.from(alone.data), 'eval mode should pass the mode on to every layer').toEqual(Array.from(inBatch.data.slice(0, alone.data.length)))
    }), { numRuns: 20 })
  })
})

describe("the lecture's networks", () => {
  const V = 27
  it('the BatchNorm MLP (one hidden layer of 200, no b1) has 12,097 parameters', () => {
    const net = lectureMlp(V, 1)
    expect(net.body.layers.map((l) => l.kind), 'Linear(30, 200, no bias) -> BatchNorm1d(200) -> Tanh -> Linear(200, 27)').toEqual(['linear', 'batchnorm', 'tanh', 'linear'])
    expect(parameterCount(net), 'C (27 x 10) + W1 (30 x 200) + gamma and beta (200 each) + W2 (200 x 27) + b2 (27); BatchNorm subtracts the mean, so b1 would do nothing and the lecture drops it')
      .toBe(12_097)
  })

  it('the deep net (five hidden layers of 100, BatchNorm after every Linear) has 47,024 parameters', () => {
    const net = deepMlp(V, 1)
    const hidden = ['linear', 'batchnorm', 'tanh']
    expect(net.body.layers.map((l) => l.kind)).toEqual([...hidden, ...hidden, ...hidden, ...hidden, ...hidden, 'linear', 'batchnorm'])
    expect(parameterCount(net), 'C (27 x 10) + five Linear weights (30 x 100, then 100 x 100) + five BatchNorms of 100 + Linear(100, 27) + BatchNorm1d(27)').toBe(47_024)
  })

  it('parameterCount counts every number: it grows by the size of each tensor it is given (law)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), (vocab) => {
      // per character of vocabulary: a row of C (10), a column of W2 (200) and an entry of b2 (1)
      expect(parameterCount(lectureMlp(vocab, 0)), `vocabulary of ${vocab}`).toBe(6_400 + 211 * vocab)
    }), { numRuns: 10 })
  })

  it('both start humble: the first loss is close to ln 27 ≈ 3.30, and the same seed gives the same network', () => {
    const contexts = evalRng(randint(0, V, 64 * 3), 7)
    const targets = evalRng(randint(0, V, 64), 8)
    for (const [name, make] of [['lectureMlp', lectureMlp], ['deepMlp', deepMlp]] as const) {
      const net = make(V, 3)
      expect(net.blockSize).toBe(3)
      expect(showShape(net.embedding.shape), `${name}: C is [vocabSize, 10]`).toBe('[27, 10]')
      const loss = crossEntropy(logitsOf(net, contexts, 'train'), targets)
      expect(Math.abs(loss - Math.log(V)), `${name}: the first loss is ${loss.toFixed(3)}, not near ln 27 = 3.296: the network starts confidently wrong. Make the last layer's output small (W2 × 0.01 and b2 = 0; for the deep net, the last BatchNorm's gamma × 0.1)`)
        .toBeLessThan(0.1)
      expect(Array.from(make(V, 3).embedding.data), `${name}: the same seed should give the same network`).toEqual(Array.from(net.embedding.data))
      expect(Array.from(make(V, 4).embedding.data), `${name}: a different seed should give a different network`).not.toEqual(Array.from(net.embedding.data))
    }
  })
})
