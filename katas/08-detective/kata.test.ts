import { describe, expect, it } from 'vitest'
import { findingKinds, median } from '../../lib/instruments/diagnostics.ts'
import * as F from './feedback.ts'
import { mysteries, replay } from './feedback.ts'
import { confidentlyWrong, deadUnitLayers, depthTrend, investigate, learningRateVerdict } from './kata.ts'
import type { Case } from './types.ts'
import { prescribe, saturatedLayers } from './kata.ts'
import fc from 'fast-check'
import * as reference from '../../solutions/08-detective/kata.ts'
import * as R from '../../lib/course/reference.ts'
import * as L from '../../lib/course/law-inputs.ts'
import { moments } from '../../lib/engine/ops.ts'

// The cases are drawn fresh each run (feedback.ts prints the seed); the grader is diagnose().
describe('the instruments, one problem at a time', () => {
  it('confidentlyWrong: a first loss more than 1 above ln V (ln 27 = 3.30) means logits large and wrong', () => {
    for (const c of mysteries()) {
      const want = F.kindsOf(c).includes('confidently-wrong')
      expect(
        confidentlyWrong(c),
        `${c.name}, ${replay}: first loss ${c.trace.loss.toFixed(3)} against ln ${c.vocabSize} + 1 = ${(Math.log(c.vocabSize) + 1).toFixed(3)}: ${want ? 'confidently wrong (the rulebook: loss > ln V + 1)' : 'not beyond ln V + 1, so nothing to report (the rulebook: loss > ln V + 1, not loss > ln V)'}`,
      ).toBe(want)
    }
  })

  it('saturatedLayers: tanh layers with more than a third of their outputs beyond ±0.97, on either side', () => {
    for (const c of mysteries()) {
      const got = saturatedLayers(c)
      expect(
        got,
        `${c.name}, ${replay}: expected ${JSON.stringify(F.wheresOf(c, 'saturated'))}, got ${JSON.stringify(got)}; share of |t| > 0.97 per tanh layer: ${F.saturationShares(c)}.${F.saturationSlip(c, got)}`,
      ).toEqual(F.wheresOf(c, 'saturated'))
    }
  })

  it('deadUnitLayers: layers where more than a quarter of the units are dead for every example of the batch', () => {
    for (const c of mysteries()) {
      const got = deadUnitLayers(c)
      const naming = got.some((n) => !/^(tanh|relu)\d+$/.test(n))
        ? ' Name the activation layer whose units are dead, as the trace does ("tanh1", "relu1"), not the Linear before it.'
        : ''
      expect(
        got,
        `${c.name}, ${replay}: expected ${JSON.stringify(F.wheresOf(c, 'dead-units'))}, got ${JSON.stringify(got)}; units dead for the whole batch: ${F.deadShares(c)}.${F.deadSlip(c, got)}${naming} The rule: a unit is dead only when it is dead for every example of the batch (|t| > 0.99 for tanh, exactly 0 for ReLU), not when it is saturated once; the layer counts when more than 25% of its units are dead`,
      ).toEqual(F.wheresOf(c, 'dead-units'))
    }
  })

  it('depthTrend: does the signal keep its scale from the first hidden layer to the last, forward and backward?', () => {
    for (const c of mysteries()) {
      const got = depthTrend(c)
      expect(
        got,
        `${c.name}, ${replay}: expected ${JSON.stringify(F.depthWant(c))}, got ${JSON.stringify(got)}; ${F.depthFigures(c)}. Beyond 3× either way is exploding or vanishing, with at least three hidden layers.${F.depthSlip(c, got)} Gradients flow backward: compare the first layer's out.grad with the last's (first / last)`,
      ).toEqual(F.depthWant(c))
    }
  })

  it('depthTrend reads the activations from layer.out and the gradients from layer.out.grad, each on its own', () => {
    // three tanh layers whose outputs and gradients are ±scale: std(out) and std(out.grad) are the scales
    const signs = Float64Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1))
    const filled = (scale: number) => ({ shape: [8, 5], data: signs.map((v) => v * scale) })
    const caseOf = (outs: number[], grads: number[]): Case => ({
      name: 'a made-up case',
      vocabSize: 27,
      params: {},
      lr: 0.1,
      trace: {
        loss: 3.3,
        paramGrads: {},
        layers: outs.map((o, i) => ({
          name: `tanh${i + 1}`,
          kind: 'tanh' as const,
          out: filled(o),
          grad: filled(grads[i]),
        })),
      },
    })
    expect(
      depthTrend(caseOf([0.6, 0.6, 0.6], [1e-5, 1e-4, 1e-3])),
      'outputs keep std 0.6 while out.grad shrinks from 1e-3 (tanh3) to 1e-5 (tanh1): the activations are steady and the gradients vanish. Read each from its own field',
    ).toEqual({ activations: 'steady', gradients: 'vanishing' })
    expect(
      depthTrend(caseOf([0.01, 0.1, 0.9], [1e-3, 1e-3, 1e-3])),
      'outputs grow from std 0.01 (tanh1) to 0.9 (tanh3) while out.grad keeps std 1e-3: the activations explode and the gradients are steady',
    ).toEqual({ activations: 'exploding', gradients: 'steady' })
  })

  it("learningRateVerdict: the median log10 update:data of the hidden weights at the case's learning rate, near -3 is right", () => {
    for (const c of mysteries()) {
      const got = learningRateVerdict(c)
      expect(
        got,
        `${c.name}, ${replay}, learning rate ${c.lr.toPrecision(3)}: expected '${F.lrWant(c)}', got '${got}'; log10 update:data of the hidden weights: ${F.lrFigures(c)}.${F.lrSlip(c, got)} You should judge the learning rate on the hidden weights (every Linear but the output layer, whose weights start small on purpose); their median above -2 is too high, below -4 too low`,
      ).toBe(F.lrWant(c))
    }
  })

  it("prescribe: the lecture's fix for each problem", () => {
    for (const kind of findingKinds) {
      const remedy = prescribe(kind)
      expect(
        F.acceptable[kind],
        `${kind}: '${remedy}' does not fix it; the lecture's fix is ${F.acceptable[kind].map((r) => `'${r}'`).join(' or ')}`,
      ).toContain(remedy)
    }
  })
})

describe('the investigation', () => {
  it('investigate names every problem of every case, where it is and its fix, as diagnose() does; a healthy network gets a clean bill', () => {
    for (const c of mysteries()) {
      const p = F.plantingOf(c)
      expect(
        p === undefined || p.side === 'none' || p.value > p.threshold === (p.side === 'over'),
        `${c.name}, ${replay}: planted ${p?.what}, but the figure came out ${p?.value} against ${p?.threshold}: the kata's mysteries need rebuilding (not your fault)`,
      ).toBe(true)
      const suspects = investigate(c)
      for (const s of suspects) {
        expect(F.acceptable[s.problem], `${c.name}, ${replay}: '${s.remedy}' is no fix for ${s.problem}`).toContain(
          s.remedy,
        )
      }
      expect(
        F.places(suspects),
        `${c.name}, ${replay}: you found ${F.places(suspects).join(', ') || 'nothing wrong'}; the instruments show ${F.places(F.findingsOf(c)).join(', ') || 'a healthy network'}. One suspect for each place a problem shows, named as the Suspect type says: the layer for saturated and dead-units ("tanh1"), 'output' for confidently-wrong, 'activations' and 'gradients' (one suspect each) for vanishing and exploding, 'hidden weights' for the learning rate`,
      ).toEqual(F.places(F.findingsOf(c)))
    }
  })
})

describe('the reference laws: every instrument agrees with the reference answer on traces of every stack of layers', () => {
  // a std that does not depend on how it is summed: one pass (sum of squares) or two (about the mean)
  const onePass = (xs: ArrayLike<number>) => {
    let s = 0,
      ss = 0
    for (let i = 0; i < xs.length; i++) {
      s += xs[i]
      ss += xs[i] * xs[i]
    }
    const mean = s / xs.length
    return Math.sqrt(Math.max(0, ss / xs.length - mean * mean))
  }
  const sound = (xs: ArrayLike<number>) => {
    const a = onePass(xs),
      b = moments(xs).std
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(a, b)
  }
  const near = (x: number, at: number) => Math.abs(x - at) <= 1e-9 * Math.abs(at)
  const hiddenOf = (c: Case) => {
    const ls = c.trace.layers
    const acts = ls.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
    return acts.length > 0 ? acts : ls.filter((l, i) => l.kind === 'linear' && i < ls.length - 1)
  }
  /** A case whose every figure is read the same however its stds are summed, none within rounding of its threshold. */
  const clearCase = (c: Case): boolean => {
    if (near(c.trace.loss, Math.log(c.vocabSize) + 1)) return false
    const tensors = [
      ...c.trace.layers.flatMap((l) => [l.out, l.grad]),
      ...Object.values(c.params),
      ...Object.values(c.trace.paramGrads),
    ]
    if (!tensors.every((t) => sound(t.data))) return false
    const h = hiddenOf(c)
    if (h.length >= 3) {
      const [first, last] = [h[0], h[h.length - 1]]
      for (const r of [
        onePass(last.out.data) / onePass(first.out.data),
        onePass(first.grad.data) / onePass(last.grad.data),
      ])
        if (near(r, 3) || near(r, 1 / 3)) return false
    }
    const ws = c.trace.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
    const rs = (ws.length > 1 ? ws.slice(0, -1) : ws)
      .map((w) => Math.log10((c.lr * onePass(c.trace.paramGrads[w].data)) / onePass(c.params[w].data)))
      .filter(Number.isFinite)
      .sort((a, b) => a - b)
    // the median's neighbours within rounding of -2 or -4 (an even count averages two of them)
    return (
      !rs.some((r) => near(r, -2) || near(r, -4)) && !(rs.length > 0 && (near(median(rs), -2) || near(median(rs), -4)))
    )
  }
  const traces = fc.oneof(
    L.anyTrace({ maxLayers: 9 }),
    L.anyTrace({ maxLayers: 9, kinds: ['linear', 'tanh'] }),
    L.anyTrace({ maxLayers: 9, kinds: ['linear', 'relu', 'batchnorm'] }),
    L.anyTrace({ maxLayers: 6, kinds: ['embedding', 'linear', 'batchnorm'] }),
  )
  const cases = fc
    .tuple(fc.oneof(fc.constant(27), fc.integer({ min: 1, max: 40 })), traces, fc.string({ maxLength: 8 }))
    .chain(([vocabSize, { trace, params }, name]) =>
      fc
        .tuple(
          fc.oneof(
            L.anyValue(30),
            L.anyValue(0.5).map((d) => Math.log(vocabSize) + 1 + d),
          ),
          fc.oneof(
            fc.constantFrom(0, 1, 0.1),
            fc.double({ min: -8, max: 2, noNaN: true }).map((e) => 10 ** e),
          ),
        )
        .map(([loss, lr]): Case => ({ name, vocabSize, trace: { ...trace, loss }, params, lr })),
    )
    .filter(clearCase)
  // the kata accepts any of the lecture's fixes for a problem, and the suspects in any order
  const fixOk = (s: { problem: string; remedy: string }) =>
    (F.acceptable as Record<string, readonly string[]>)[s.problem]?.includes(s.remedy) ? 'a fix' : s.remedy
  const asGraded = (out: unknown) =>
    Array.isArray(out)
      ? out
          .map((s) => ({ problem: s.problem, where: s.where, remedy: fixOk(s) }))
          .sort((a, b) => `${a.problem} ${a.where}`.localeCompare(`${b.problem} ${b.where}`))
      : out
  const problems = fc.constantFrom(...findingKinds)
  const laws = [
    R.law('confidentlyWrong', confidentlyWrong, reference.confidentlyWrong, fc.tuple(cases), ['case']),
    R.law('saturatedLayers', saturatedLayers, reference.saturatedLayers, fc.tuple(cases), ['case']),
    R.law('deadUnitLayers', deadUnitLayers, reference.deadUnitLayers, fc.tuple(cases), ['case']),
    R.law('depthTrend', depthTrend, reference.depthTrend, fc.tuple(cases), ['case']),
    R.law('learningRateVerdict', learningRateVerdict, reference.learningRateVerdict, fc.tuple(cases), ['case']),
    R.law('prescribe', prescribe, reference.prescribe, fc.tuple(problems), ['problem'], {
      view: (remedy, [problem]) => fixOk({ problem, remedy: remedy as string }),
    }),
    R.law('investigate', investigate, reference.investigate, fc.tuple(cases), ['case'], { view: asGraded }),
  ]
  R.describeLaws(laws, it)
})
