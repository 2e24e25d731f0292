import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { evaluate, learningRate, lossTable, sampleNames, sgdStep, trainModel } from './kata.ts'
import * as F from './feedback.ts'
import { BLOCK_SIZE, LN27, corpus, vocab } from './feedback.ts'
import * as reference from '../../solutions/07-training/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'
import { experimentNames } from '../../lib/model/experiments.ts'

describe('the learning-rate schedule', () => {
  it('law: is 0.1 for the first half of the steps, then 0.01', () => {
    // the lecture's own switch first: the law below may or may not draw the exact midpoint
    const at = (step: number, total: number) => `learningRate(${step}, ${total}) is ${learningRate(step, total)}`
    expect(
      learningRate(99_999, 200_000),
      `${at(99_999, 200_000)}: 0.1 until step 99,999 of 200,000, the last step of the first half (steps count from 0)`,
    ).toBe(0.1)
    expect(
      learningRate(100_000, 200_000),
      `${at(100_000, 200_000)}: 0.01 after half the steps, from step 100,000 of 200,000 on (steps count from 0)`,
    ).toBe(0.01)
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (total, at) => {
          const step = Math.floor(at * total)
          const lr = learningRate(step, total)
          if (step < Math.floor(total / 2))
            expect(lr, `step ${step} of ${total}: 0.1 for the first half of the steps`).toBe(0.1)
          else if (step >= Math.ceil(total / 2))
            expect(
              lr,
              `step ${step} of ${total}: 0.01 after half the steps (the lecture: 0.1 until step 100,000 of 200,000, then 0.01)`,
            ).toBe(0.01)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('an SGD step', () => {
  it('law: moves every parameter by -lr · grad and returns the loss of the batch before the step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0.1, 0.01, 1), (seed, lr) => {
        const model = F.smallModel(seed),
          batch = F.batchOf(16, seed + 1)
        const pass = F.trainingPass(model, batch.X, batch.Y)
        const before = F.snapshot(model)
        const r = sgdStep(model, batch, lr)
        expect(
          F.snapshot(model),
          'sgdStep changed the parameters of the model it was given, in place: compute p - lr · grad into new tensors and return a new model (the old one may still be in use)',
        ).toBe(before)
        expect(r.loss, 'the loss of the batch, computed before the update').toBeCloseTo(pass.trace.loss, 12)
        expect(Object.keys(r.model.params).sort(), 'every parameter is still there').toEqual(
          Object.keys(model.params).sort(),
        )
        for (const [name, p] of Object.entries(model.params)) {
          const g = pass.trace.paramGrads[name],
            q = r.model.params[name]
          let worst = 0
          for (let i = 0; i < p.data.length; i++)
            worst = Math.max(worst, Math.abs(q.data[i] - (p.data[i] - lr * g.data[i])))
          expect(worst, `${name}: step against the gradient: p - lr · grad (the gradient points uphill)`).toBeLessThan(
            1e-12,
          )
        }
        for (const [name, t] of Object.entries(pass.buffers)) {
          expect(
            Array.from(r.model.buffers[name].data),
            `${name}: keep BatchNorm's running statistics from the training pass`,
          ).toEqual(Array.from(t.data))
        }
      }),
      { numRuns: 10 },
    )
  })

  it('leaves the model it was given as it was, and a few steps on one batch lower its loss', () => {
    const model = F.smallModel(1),
      before = F.snapshot(model),
      batch = F.batchOf(32, 2)
    let m = model
    const losses: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = sgdStep(m, batch, 0.1)
      losses.push(r.loss)
      m = r.model
    }
    expect(F.snapshot(model), 'sgdStep must return a new model, not change the one it was given').toBe(before)
    expect(
      losses[4],
      `losses on the same batch: ${losses.map((l) => l.toFixed(3)).join(', ')}: five steps downhill should lower it`,
    ).toBeLessThan(losses[0])
  })
})

describe('the training loop', () => {
  it("takes `steps` steps at the lecture's learning rates, and the loss comes down", () => {
    const steps = 80
    const r = trainModel(F.smallModel(3), corpus.train, { steps, seed: 4 })
    expect(r.losses.length, 'one loss per step').toBe(steps)
    expect(r.learningRates, 'each step uses learningRate(step, steps): 0.1, then 0.01 after half the steps').toEqual(
      Array.from({ length: steps }, (_, i) => learningRate(i, steps)),
    )
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(mean(r.losses.slice(-20)), 'the last 20 minibatch losses should be lower than the first 20').toBeLessThan(
      mean(r.losses.slice(0, 20)),
    )
    expect(r.losses[0], 'the first loss of a humble network is about ln 27').toBeCloseTo(LN27, 0)
  })

  it('is a function of its inputs: the same seed gives the same run, another seed another run; batchSize is used', () => {
    const a = trainModel(F.smallModel(5), corpus.train, { steps: 15, seed: 6 })
    const b = trainModel(F.smallModel(5), corpus.train, { steps: 15, seed: 6 })
    const c = trainModel(F.smallModel(5), corpus.train, { steps: 15, seed: 9 })
    expect(b.losses, 'the same seed must draw the same minibatches').toEqual(a.losses)
    expect(F.snapshot(b.model)).toBe(F.snapshot(a.model))
    expect(c.losses, 'another seed should draw other minibatches').not.toEqual(a.losses)
    const two = trainModel(F.smallModel(5), corpus.train, { steps: 1, seed: 6, batchSize: 2 })
    const big = trainModel(F.smallModel(5), corpus.train, { steps: 1, seed: 6, batchSize: 64 })
    expect(
      two.losses[0],
      'batchSize: a minibatch of 2 examples and one of 64 should not give the same loss (32 when batchSize is not given)',
    ).not.toBe(big.losses[0])
  })

  it('is your sgdStep on the batches of ONE generator seeded once, each step at the learning rate learningRate(step, steps) gives it', () => {
    const o = { steps: 6, seed: 21, batchSize: 16 }
    const got = trainModel(F.smallModel(7), corpus.train, o)
    const want = F.replay(sgdStep, (i) => learningRate(i, o.steps), F.smallModel(7), corpus.train, {
      ...o,
      draws: 'threaded',
    })
    const verdict = F.runVerdict(got, sgdStep, (i) => learningRate(i, o.steps), F.smallModel(7), corpus.train, o)
    expect(got.losses, verdict).toEqual(want.losses)
    expect(F.snapshot(got.model), verdict).toBe(F.snapshot(want.model))
  })

  it('draws a new minibatch every step: the loss goes up and down with the batches, not only down as on one batch', () => {
    const steps = 60
    const { losses } = trainModel(F.smallModel(3), corpus.train, { steps, seed: 4 })
    const rises = losses.slice(1).filter((l, i) => l > losses[i]).length
    // on fresh batches of 32 the loss rises in about 25 of these 59 steps; on one batch, SGD at 0.1 never lets it rise
    expect(
      rises,
      `the minibatch loss went up in ${rises} of ${steps - 1} steps: it only falls, as when every step trains on the same batch: draw a new minibatch each step, carrying the generator's state forward (const [batch, next] = draw(s); s = next)`,
    ).toBeGreaterThanOrEqual(10)
  })
})

describe('evaluation', () => {
  // a model with running statistics of its own, trained here with the engine's SGD (not yours)
  const trained = (() => {
    let m = F.smallModel(8)
    for (let i = 0; i < 30; i++) m = F.engineStep({ model: m, step: i }, F.batchOf(32, 100 + i), 0.1).state.model
    return m
  })()
  const asTrained = F.snapshot(trained) // before any check has called evaluate on it

  it("is the mean loss over the whole split in eval mode, with BatchNorm's running statistics", () => {
    const val = corpus.val
    const want = F.crossEntropy(F.predict(trained, val.X), val.Y)
    const got = evaluate(trained, val)
    expect(
      Math.abs(got - want),
      `evaluate gave ${got.toFixed(5)}, the eval-mode loss is ${want.toFixed(5)}: run the model in eval mode (running statistics), over every example of the split`,
    ).toBeLessThan(1e-9)
  })

  it("law: in eval mode an example's loss does not depend on the others: the loss of a split is the weighted mean of its two parts'", () => {
    const ex = corpus.val
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ex.count - 1 }), (k) => {
        const [head, tail] = F.cut(ex, k)
        const whole = evaluate(trained, ex)
        const parts = (evaluate(trained, head) * head.count + evaluate(trained, tail) * tail.count) / ex.count
        expect(
          Math.abs(whole - parts),
          'evaluate in eval mode: in train mode BatchNorm normalises with the statistics of whatever batch it is given, so the same example gets a different loss in a different split',
        ).toBeLessThan(1e-9)
      }),
      { numRuns: 10 },
    )
    expect(
      F.snapshot(trained),
      "evaluation does not train: the model's parameters and running statistics must be as they were before evaluate",
    ).toBe(asTrained)
  })
})

describe('evaluation of a large split', () => {
  /** corpus.train repeated to n examples: more than one of the chunks a split may be evaluated in. */
  const repeated = (n: number) => {
    const { X, Y, blockSize: b, count } = corpus.train
    const big = { X: new Int32Array(n * b), Y: new Int32Array(n), count: n, blockSize: b }
    for (let i = 0; i < n; i++) {
      big.Y[i] = Y[i % count]
      big.X.set(X.subarray((i % count) * b, ((i % count) + 1) * b), i * b)
    }
    return big
  }
  it('is the mean eval-mode loss over every example however many there are (4,096, 8,192 + 5: in chunks or not)', () => {
    const model = F.smallModel(8)
    for (const n of [4096, 8197]) {
      const ex = repeated(n)
      const want = F.crossEntropy(F.predict(model, ex.X), ex.Y)
      const got = evaluate(model, ex)
      expect(
        Math.abs(got - want),
        `evaluate over ${n} examples gave ${got}, the eval-mode loss is ${want}: every example once, each chunk's loss weighted by its size, the chunks in eval mode`,
      ).toBeLessThan(1e-9)
    }
  })
})

describe("the lecture's table on a short run", () => {
  it('an experiment that does not exist is an error that names it', () => {
    expect(() => lossTable(['no-such-experiment' as never], corpus, { steps: 1, seed: 0 })).toThrow(
      /no-such-experiment/,
    )
  })
  it('each row trains one model and evaluates it on corpus.train and corpus.val: the val column comes from the val split', () => {
    const o = { steps: 2, seed: 3 }
    const [row] = lossTable(['fix-tanh'], corpus, o)
    const start = F.evalRng(F.initModel(F.findExperiment('fix-tanh')!.layers(vocab.size)), o.seed)
    const { model } = trainModel(start, corpus.train, o)
    const on = {
      train: evaluate(model, corpus.train),
      val: evaluate(model, corpus.val),
      test: evaluate(model, corpus.test),
    }
    expect(
      row.train,
      `the train column should be evaluate(model, corpus.train) = ${on.train.toFixed(4)}, the model being trainModel(init, corpus.train, options).model with init drawn from seedRng(options.seed)`,
    ).toBe(on.train)
    expect(row.val, F.splitVerdict(row.val, on)).toBe(on.val)
  })

  it('the naive init starts confidently wrong and is still far behind the fixed init after 100 steps', () => {
    const rows = lossTable(['naive', 'fix-tanh'], corpus, { steps: 100, seed: 1 })
    expect(
      rows.map((r) => r.name),
      'one row per experiment, in the order given',
    ).toEqual(['naive', 'fix-tanh'])
    const [naive, fixed] = rows
    expect(
      naive.initLoss,
      `naive init: the first loss is ${naive.initLoss.toFixed(2)}; the lecture sees about 27, far above ln 27`,
    ).toBeGreaterThan(10)
    expect(
      Math.abs(fixed.initLoss - LN27),
      `fixed init: the first loss is ${fixed.initLoss.toFixed(3)}, it should be about ln 27 = 3.30`,
    ).toBeLessThan(0.2)
    expect(
      naive.train,
      `train loss: naive ${naive.train.toFixed(3)} should be above fixed ${fixed.train.toFixed(3)}: the naive net spends its first steps just shrinking its logits (the hockey stick)`,
    ).toBeGreaterThan(fixed.train)
    expect(
      naive.val,
      `val loss: naive ${naive.val.toFixed(3)} should be above fixed ${fixed.val.toFixed(3)}`,
    ).toBeGreaterThan(fixed.val)
    expect(fixed.val, 'the fixed net has learned something in 100 steps: its val loss is below ln 27').toBeLessThan(
      LN27,
    )
  })
})

describe('sampling names', () => {
  const untrained = F.evalRng(
    F.initModel([
      F.embedding(vocab.size, 10, BLOCK_SIZE),
      F.linear(30, 64, { weightInit: F.kaiming('tanh') }),
      F.tanhLayer(),
      F.linear(64, vocab.size, { weightInit: F.scaledNormal(0.01) }),
    ]),
    3,
  )

  it("gives `count` names made of the vocabulary's characters, at most 30 long; the same seed gives the same names", () => {
    const names = sampleNames(untrained, vocab, 20, 11)
    expect(names.length).toBe(20)
    for (const n of names) {
      expect(
        [...n].every((ch) => ch !== '.' && vocab.stoi.has(ch)),
        `"${n}": a name is made of the vocabulary's characters, without the '.' that ends it`,
      ).toBe(true)
      expect(n.length, `"${n}": stop after 30 characters, even if '.' never comes`).toBeLessThanOrEqual(30)
    }
    expect(sampleNames(untrained, vocab, 20, 11), 'the same seed should give the same names').toEqual(names)
    expect(
      sampleNames(untrained, vocab, 20, 12),
      "another seed should give other names: draw each character from the model's probabilities with the generator seeded by `seed` (categorical), not the most likely one",
    ).not.toEqual(names)
    expect(
      new Set(names).size,
      `twenty names, all "${names[0]}": either each character is the most likely one (argmax) instead of drawn from the model's probabilities (the lecture's torch.multinomial), or every name starts from the same seed: seed one generator and thread its state through all the names (the lecture passes one generator g to every draw)`,
    ).toBeGreaterThan(1)
  })

  it("draws each character from the model's probabilities", () => {
    // a model whose output ignores the context: '.' with probability 0.5, 'a' 0.3, 'b' 0.2
    const V = vocab.size
    const rigged = F.evalRng(
      F.initModel([
        F.embedding(V, 1, BLOCK_SIZE),
        F.linear(BLOCK_SIZE, V, { weightInit: F.constant(0), biasInit: F.constant(0) }),
      ]),
      0,
    )
    const p = new Float64Array(V).fill(1e-12)
    p[0] = 0.5
    p[vocab.stoi.get('a')!] = 0.3
    p[vocab.stoi.get('b')!] = 0.2
    const model: F.Model = {
      ...rigged,
      params: { ...rigged.params, 'linear1.bias': { shape: [V], data: p.map(Math.log) } },
    }
    const names = sampleNames(model, vocab, 600, 5)
    expect(
      new Set(names).size,
      `${names.length} names, all "${names[0]}": draw each character from the model's probabilities (not the most likely one), with one generator whose state goes on from name to name (seeding it again for every name gives the same name every time)`,
    ).toBeGreaterThan(1)
    const withDot = names.filter((n) => n.includes('.'))
    const stop =
      "a name ends at the first '.' drawn: stop there and do not add it to the name (the lecture's if ix == 0: break)"
    expect(
      withDot.length,
      `${withDot.length} of ${names.length} names contain '.', e.g. "${withDot[0]}": ${stop}`,
    ).toBe(0)
    expect(
      names.some((n) => n === ''),
      `'.' is drawn first with probability 50%, yet no name is empty (e.g. "${names[0]}"): ${stop}`,
    ).toBe(true)
    const first = { empty: 0, a: 0, b: 0 }
    for (const n of names) {
      if (n === '') first.empty++
      else if (n[0] === 'a') first.a++
      else if (n[0] === 'b') first.b++
    }
    const share = (c: number) => c / names.length
    expect(
      Math.abs(share(first.empty) - 0.5),
      `'.' first in ${(100 * share(first.empty)).toFixed(1)}% of names, its probability is 50%: draw each character from the model's probabilities`,
    ).toBeLessThan(0.08)
    expect(
      Math.abs(share(first.a) - 0.3),
      `'a' first in ${(100 * share(first.a)).toFixed(1)}% of names, its probability is 30%`,
    ).toBeLessThan(0.08)
    expect(
      Math.abs(share(first.b) - 0.2),
      `'b' first in ${(100 * share(first.b)).toFixed(1)}% of names, its probability is 20%`,
    ).toBeLessThan(0.08)
  })

  it("takes the context length from the model: with block size 2 or 5 the same kind of model spells 'ab' too", () => {
    for (const B of [2, 5]) {
      let names: string[] = []
      let error = ''
      try {
        names = sampleNames(F.spellsAb(B), vocab, 4, 13)
      } catch (e) {
        error = ` (it threw: ${e instanceof Error ? e.message : String(e)})`
      }
      expect(
        names.filter((n) => n === 'ab').length,
        `a model whose embedding takes ${B} characters of context gave ${JSON.stringify(names)}${error}: the context has the embedding layer's blockSize (model.layers[0].blockSize), '${'.'.repeat(B)}' to start, not always 3`,
      ).toBeGreaterThanOrEqual(3)
    }
  })

  it("slides each character into the context, which starts as '...' for every name: context = context[1:] + [ix]", () => {
    const names = sampleNames(F.spellsAb(), vocab, 6, 13)
    const odd = names.find((n) => n !== 'ab') ?? ''
    const at = names.indexOf(odd)
    // a right sampler spells "ab" every time but for the rare 'z' after '.ab': at most one "abz…"
    const right =
      names.length === 6 && names.filter((n) => n === 'ab').length >= 5 && names.every((n) => /^ab(z*)$/.test(n))
    const slide =
      "after each draw, drop the context's oldest character and append the new one (the lecture's context = context[1:] + [ix])"
    const why =
      at > 0 && names[0] === 'ab' && !odd.startsWith('ab')
        ? "the context must start as '...' for every name (the lecture's context = [0] * block_size, inside the loop over names)"
        : odd.startsWith('ab')
          ? "the name went on after the '.' that follows '.ab': a name ends at the first '.' drawn, stop there and do not add it"
          : odd.startsWith('aa')
            ? `the context stayed '...' after 'a' was drawn, so 'a' came again and again: ${slide}`
            : odd.startsWith('az')
              ? `after 'a' the context was not '..a', so 'z' came: the new character goes in at the end and the oldest one leaves from the front; ${slide}`
              : slide
    expect(
      right ? 'ab' : odd,
      `name ${at + 1} of ${JSON.stringify(names)} is "${odd}", expected "ab" (this model draws 'a' after '...', 'b' after '..a', '.' after '.ab' and 'z' after any other context): ${why}`,
    ).toBe('ab')
  })
})

describe('the reference laws: the schedule, a step and the evaluation agree with the reference answer on inputs of every size', () => {
  const schedule = fc
    .oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 400_001 }))
    .chain((total) =>
      fc.tuple(
        fc.oneof(
          fc.integer({ min: 0, max: total - 1 }),
          fc.constantFrom(
            0,
            total - 1,
            Math.max(0, Math.floor(total / 2) - 1),
            Math.floor(total / 2),
            Math.min(total - 1, Math.ceil(total / 2)),
          ),
        ),
        fc.constant(total),
      ),
    )
  // a BatchNorm MLP from any seed, a batch of 1 to 16 examples, a learning rate from 0 to 10
  const stepArgs = fc
    .tuple(
      L.anySeed,
      fc.integer({ min: 1, max: 16 }),
      fc.nat(),
      fc.oneof(
        fc.constantFrom(0, 0.1, 0.01, 1),
        fc.double({ min: -6, max: 1, noNaN: true }).map((e) => 10 ** e),
      ),
    )
    .map(([seed, n, b, lr]) => [F.smallModel(seed), F.batchOf(n, b), lr] as const)
  const splits = fc
    .tuple(L.anySeed, fc.integer({ min: 0, max: corpus.val.count - 1 }), fc.integer({ min: 1, max: 40 }))
    .map(([seed, from, n]) => {
      const [, rest] = from === 0 ? [undefined, corpus.val] : F.cut(corpus.val, from)
      const [part] = F.cut(rest, Math.min(n, rest.count))
      return [F.smallModel(seed), part] as const
    })
  const laws = [
    R.law('learningRate', learningRate, reference.learningRate, schedule, ['step', 'totalSteps']),
    R.law('sgdStep', sgdStep, reference.sgdStep, stepArgs, ['model', 'batch', 'lr'], {
      numRuns: 15,
      tolerance: { relative: 1e-9, absolute: 1e-12 },
      view: (r) => {
        const { model, loss } = r as { model: F.Model; loss: number }
        return { params: model.params, buffers: model.buffers, loss }
      },
    }),
    R.law('evaluate', evaluate, reference.evaluate, splits, ['model', 'examples'], {
      numRuns: 15,
      tolerance: { relative: 1e-9, absolute: 1e-12 },
    }),
  ]
  // a few steps on a cut of the train split, any seed, batches of 1 to 16 or the default 32
  const trainArgs = fc
    .tuple(
      L.anySeed,
      fc.integer({ min: 1, max: 300 }),
      fc.record(
        {
          steps: fc.integer({ min: 0, max: 6 }),
          seed: L.anySeed,
          batchSize: fc.integer({ min: 1, max: 16 }),
        },
        { requiredKeys: ['steps', 'seed'] },
      ),
    )
    .map(([seed, n, options]) => [F.smallModel(seed), F.cut(corpus.train, n)[0], options] as const)
  // the experiments in any order and number (repeats included), a step or two of each
  const tableArgs = fc
    .tuple(
      fc.array(fc.constantFrom(...experimentNames), { minLength: 0, maxLength: 2 }),
      fc.record({ steps: fc.integer({ min: 0, max: 2 }), seed: L.anySeed }),
    )
    .map(([names, options]) => [names, corpus, options] as const)
  const sampleArgs = fc
    .tuple(L.anySeed, fc.integer({ min: 0, max: 4 }), L.anySeed)
    .map(([m, count, seed]) => [F.smallModel(m), vocab, count, seed] as const)
  const trained = (r: unknown) => {
    const { model, losses, learningRates } = r as { model: F.Model; losses: number[]; learningRates: number[] }
    return { params: model.params, buffers: model.buffers, losses, learningRates }
  }
  const moreLaws = [
    R.law('trainModel', trainModel, reference.trainModel, trainArgs, ['model', 'examples', 'options'], {
      numRuns: 10,
      view: trained,
    }),
    R.law('lossTable', lossTable, reference.lossTable, tableArgs, ['names', 'corpus', 'options'], { numRuns: 4 }),
    R.law('sampleNames', sampleNames, reference.sampleNames, sampleArgs, ['model', 'vocab', 'count', 'seed'], {
      numRuns: 10,
    }),
  ]
  R.describeLaws([...laws, ...moreLaws], it)
})
