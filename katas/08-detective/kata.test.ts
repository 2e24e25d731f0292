import { describe, expect, it } from 'vitest'
import {
  confidentlyWrong,
  deadUnitLayers,
  depthTrend,
  investigate,
  learningRateVerdict,
  prescribe,
  saturatedLayers,
  type Problem,
  type Remedy,
} from './kata.ts'
import { mysteries, type Case } from './mysteries.ts'
import { diagnose, findingKinds, moments, verdict, type Finding } from '../../lib/instruments/diagnostics.ts'

// The grader: the project's own diagnose(), on the same evidence the learner gets.
const findingsOf = (c: Case): Finding[] =>
  diagnose({ vocabSize: c.vocabSize, trace: c.trace, params: c.params, lr: c.lr })
const kindsOf = (c: Case) => verdict(findingsOf(c))
const wheresOf = (c: Case, kind: Problem) =>
  findingsOf(c)
    .filter((f) => f.kind === kind)
    .map((f) => f.where)

/** What each case was built with (mysteries.ts): if diagnose() ever stops seeing it, the kata needs fixing, not the learner. */
const planted: Record<string, readonly Problem[]> = {
  'case A': ['confidently-wrong'],
  'case B': ['lr-too-low'],
  'case C': ['dead-units'],
  'case D': ['vanishing'],
  'case E': [],
  'case F': ['saturated'],
  'case G': ['exploding'],
  'case H': ['lr-too-high'],
}

/** The fixes the lecture (and lib/diagnostics' findings) give for each problem. */
const acceptable: Record<Problem, readonly Remedy[]> = {
  'confidently-wrong': ['shrink-output-layer'],
  saturated: ['shrink-hidden-weights', 'kaiming-init', 'add-batchnorm'],
  'dead-units': ['kaiming-init', 'shrink-hidden-weights', 'add-batchnorm'],
  vanishing: ['kaiming-init', 'add-batchnorm'],
  exploding: ['kaiming-init', 'add-batchnorm'],
  'lr-too-high': ['lower-learning-rate'],
  'lr-too-low': ['raise-learning-rate'],
  nan: ['lower-learning-rate'],
}

/** The hidden layers diagnose compares across depth. */
const hiddenLayers = (c: Case) => {
  const acts = c.trace.layers.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  return acts.length > 0 ? acts : c.trace.layers.filter((l, i) => l.kind === 'linear' && i < c.trace.layers.length - 1)
}

const distinct = (xs: readonly string[]) => [...new Set(xs)].sort()

describe('the instruments, one problem at a time', () => {
  it('confidentlyWrong: the first loss far above ln 27 = 3.30 means logits large and wrong', () => {
    for (const c of mysteries()) {
      const want = kindsOf(c).includes('confidently-wrong')
      expect(
        confidentlyWrong(c),
        `${c.name}: first loss ${c.trace.loss.toFixed(2)} against ln ${c.vocabSize} = ${Math.log(c.vocabSize).toFixed(2)}: ${want ? 'this network is confidently wrong (the rulebook: more than ln V + 1)' : 'this is about what a uniform guess scores, nothing wrong'}`,
      ).toBe(want)
    }
  })

  it('saturatedLayers: tanh layers with more than a third of their outputs beyond ±0.97', () => {
    for (const c of mysteries()) {
      const want = wheresOf(c, 'saturated')
      const shares = c.trace.layers
        .filter((l) => l.kind === 'tanh')
        .map(
          (l) =>
            `${l.name} ${((100 * l.out.data.filter((t) => Math.abs(t) > 0.97).length) / l.out.data.length).toFixed(1)}%`,
        )
      expect(
        saturatedLayers(c),
        `${c.name}: share of |t| > 0.97 per tanh layer: ${shares.join(', ') || 'no tanh layers'}`,
      ).toEqual(want)
    }
  })

  it('deadUnitLayers: layers where more than a quarter of the units are dead for every example of the batch', () => {
    for (const c of mysteries()) {
      const want = wheresOf(c, 'dead-units')
      const got = deadUnitLayers(c)
      const naming = got.some((n) => !/^(tanh|relu)\d+$/.test(n))
        ? 'Name the activation layer whose units are dead, as the trace does ("tanh1", "relu1"), not the Linear before it. '
        : ''
      expect(
        got,
        `${c.name}: you name ${JSON.stringify(got)}, the instruments show ${JSON.stringify(want)}. ${naming}The rule: a unit is dead only when it is dead for every example of the batch (|t| > 0.99 for tanh, exactly 0 for ReLU), not when it is saturated once; the layer counts when more than 25% of its units are dead`,
      ).toEqual(want)
    }
  })

  it('depthTrend: does the signal keep its scale from the first hidden layer to the last, forward and backward?', () => {
    for (const c of mysteries()) {
      const hidden = hiddenLayers(c)
      const got = depthTrend(c)
      if (hidden.length < 3) {
        expect(got, `${c.name} has ${hidden.length} hidden layer(s): too shallow to speak of depth`).toEqual({
          activations: 'too shallow',
          gradients: 'too shallow',
        })
        continue
      }
      const first = hidden[0],
        last = hidden[hidden.length - 1]
      const f = findingsOf(c)
      const wantOf = (where: string) =>
        f.find((x) => (x.kind === 'vanishing' || x.kind === 'exploding') && x.where === where)?.kind ?? 'steady'
      expect(
        got.activations,
        `${c.name}: the std of the activations goes from ${moments(first.out.data).std.toFixed(3)} (${first.name}) to ${moments(last.out.data).std.toFixed(3)} (${last.name}); beyond 3× either way is exploding or vanishing`,
      ).toBe(wantOf('activations'))
      expect(
        got.gradients,
        `${c.name}: the std of out.grad is ${moments(last.grad.data).std.toExponential(2)} at ${last.name} and ${moments(first.grad.data).std.toExponential(2)} at ${first.name}. Gradients flow backward: compare the first layer's out.grad with the last's (first / last)`,
      ).toBe(wantOf('gradients'))
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

  it("learningRateVerdict: median log10 update:data of the hidden weights at the case's learning rate, near -3 is right", () => {
    for (const c of mysteries()) {
      const kinds = kindsOf(c)
      const want = kinds.includes('lr-too-high') ? 'too high' : kinds.includes('lr-too-low') ? 'too low' : 'about right'
      expect(
        learningRateVerdict(c),
        `${c.name} at learning rate ${c.lr}: judge the learning rate on the hidden weights (every Linear but the output layer, whose weights start small on purpose and so have a high update:data by construction); above -2 too high, below -4 too low`,
      ).toBe(want)
    }
  })

  it("prescribe: the lecture's fix for each problem", () => {
    for (const kind of findingKinds) {
      const remedy = prescribe(kind)
      expect(
        acceptable[kind],
        `${kind}: '${remedy}' does not fix it; the lecture's fix is ${acceptable[kind].map((r) => `'${r}'`).join(' or ')}`,
      ).toContain(remedy)
    }
  })
})

describe('the investigation', () => {
  it('investigate names every problem of every case, where it is and its fix, as diagnose() does; the healthy network gets a clean bill', () => {
    for (const c of mysteries()) {
      const kinds = kindsOf(c)
      expect(
        kinds,
        `${c.name} was built with ${planted[c.name].join(', ') || 'nothing wrong'}, but lib/diagnostics sees ${kinds.join(', ') || 'nothing'}: the kata's mysteries need rebuilding (not your fault)`,
      ).toEqual(planted[c.name])
      const suspects = investigate(c)
      const named = suspects.map((s) => s.problem)
      expect(
        distinct(named),
        `${c.name}: you found ${named.join(', ') || 'nothing wrong'}; the instruments show ${kinds.join(', ') || 'a healthy network'}`,
      ).toEqual(distinct(kinds))
      for (const s of suspects) {
        expect(acceptable[s.problem], `${c.name}: '${s.remedy}' is no fix for ${s.problem}`).toContain(s.remedy)
        if (s.problem === 'saturated' || s.problem === 'dead-units') {
          expect(
            wheresOf(c, s.problem),
            `${c.name}: ${s.problem} in which layer? name it as the trace does ("tanh1", "relu1")`,
          ).toContain(s.where)
        }
      }
      const places = (xs: readonly { readonly kind?: string; readonly problem?: string; readonly where: string }[]) =>
        xs.map((x) => `${x.problem ?? x.kind} in ${x.where}`).sort()
      expect(
        places(suspects),
        `${c.name}: one suspect for each place a problem shows, named as the Suspect type says: the layer for saturated and dead-units ("tanh1"), 'output' for confidently-wrong, 'activations' and 'gradients' (one suspect each) for vanishing and exploding, 'hidden weights' for the learning rate`,
      ).toEqual(places(findingsOf(c)))
    }
  })
})
