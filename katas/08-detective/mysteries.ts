/**
 * The mystery networks of kata 08 (given: you do not change this file).
 *
 * Each case is a character-level network at initialisation, with one problem planted in how it
 * was built (or none), and the evidence a detective gets: the Trace of one training pass on a batch
 * of 32 contexts from data/names.txt (every layer's out and out.grad, every parameter's gradient),
 * the parameters it was taken with, and the learning rate it is about to train with.
 *
 * The cases are drawn fresh from a seed that changes from run to run: the network's depth, width
 * and activation, the layer the problem sits in and how severe it is. Most problems are planted
 * close to their threshold, some just over it and some just under, so only the rulebook itself
 * gives every verdict. Every failure prints the seed; `MYSTERY_SEED=1234 npm run watch` replays it.
 *
 * The names say nothing about the problem: reading the instruments is your job.
 */
import { randomInt } from 'node:crypto'
import {
  batchNorm1d,
  embedding,
  initModel,
  linear,
  type LayerSpec,
  type Model,
  reluLayer,
  tanhLayer,
  type TrainingPass,
  trainingPass,
} from '../../lib/model/nn.ts'
import { constant, kaiming, scaledNormal } from '../../lib/model/init.ts'
import { seedRng, uniform, type RngState } from '../../lib/engine/random.ts'
import type { Tensor } from '../../lib/engine/tensor.ts'
import {
  deadUnits,
  defaultThresholds as rule,
  median,
  moments,
  saturationFraction,
  updateToDataAt,
} from '../../lib/instruments/diagnostics.ts'
import { BLOCK_SIZE, batchOf, EMBEDDING_DIM, examples, vocabulary } from '../../lib/course/fixtures.ts'
import type { Case } from './types.ts'

export type { Case } from './types.ts'

/** The seed of this run's cases: MYSTERY_SEED if set (to replay a failure), else a fresh one. */
export const caseSeed: number = (() => {
  const given = process.env.MYSTERY_SEED
  if (given === undefined || given === '') return randomInt(2 ** 31 - 1)
  const seed = Number(given)
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`MYSTERY_SEED must be a whole number >= 0, got '${given}'`)
  return seed
})()

/** What was planted in a case, and where the planted figure landed: the kata checks its own cases with it. */
export interface Planting {
  readonly name: string
  /** e.g. "saturated in tanh2, just over" */
  readonly what: string
  /** The planted figure (a share, a ratio, a loss, a median log10), as diagnose measures it. */
  readonly value: number
  readonly threshold: number
  /** Which side of the threshold it was planted on. */
  readonly side: 'over' | 'under' | 'none'
}

type Act = 'tanh' | 'relu' | 'none'
interface Arch {
  readonly act: Act
  readonly depth: number
  readonly width: number
  readonly batchNorm?: boolean
}

const V = () => vocabulary().size
const gainOf = (act: Act) => (act === 'tanh' ? 5 / 3 : act === 'relu' ? Math.SQRT2 : 1)

/** Embedding, `depth` hidden Linear layers (Kaiming, zero bias), each followed by its activation, and the output layer. */
const layersOf = (a: Arch): LayerSpec[] => [
  embedding(V(), EMBEDDING_DIM, BLOCK_SIZE),
  ...Array.from({ length: a.depth }, (_, i): LayerSpec[] => [
    linear(i === 0 ? BLOCK_SIZE * EMBEDDING_DIM : a.width, a.width, {
      bias: a.batchNorm !== true,
      weightInit: kaiming(gainOf(a.act)),
      biasInit: constant(0),
    }),
    ...(a.batchNorm === true ? [batchNorm1d(a.width)] : []),
    ...(a.act === 'tanh' ? [tanhLayer()] : a.act === 'relu' ? [reluLayer()] : []),
  ]).flat(),
  linear(a.width, V(), { weightInit: scaledNormal(0.01), biasInit: constant(0) }),
]

/** A copy of the model with some parameters changed: each multiplied by a factor, or set to a constant. */
const tweak = (m: Model, scale: Record<string, number>, set: Record<string, number> = {}): Model => {
  const params: Record<string, Tensor> = { ...m.params }
  for (const [name, f] of Object.entries(scale))
    params[name] = { ...m.params[name], data: m.params[name].data.map((x) => x * f) }
  for (const [name, v] of Object.entries(set))
    params[name] = { ...m.params[name], data: m.params[name].data.map(() => v) }
  return { ...m, params }
}

/** The hidden weights: every Linear weight but the output layer's (its own when it is the only one). */
const hiddenWeights = (m: Model): string[] => {
  const ws = m.layers.filter((l) => l.kind === 'linear').map((l) => `${l.name}.weight`)
  return ws.length > 1 ? ws.slice(0, -1) : ws
}
/** log10 update:data of each hidden weight at learning rate 1 (at rate lr, add log10 lr). */
const ratiosAt1 = (m: Model, pass: TrainingPass): number[] =>
  updateToDataAt(pass.trace.paramGrads, m.params, 1)
    .filter((r) => hiddenWeights(m).includes(r.name) && Number.isFinite(r.medianLog10))
    .map((r) => r.medianLog10)

/** The std of a layer's output (or gradient) by name. */
const stdOf = (pass: TrainingPass, name: string, field: 'out' | 'grad') =>
  moments(pass.trace.layers.find((l) => l.name === name)?.[field].data ?? []).std
/** The first and last hidden layers, as diagnose compares them. */
const depthEnds = (pass: TrainingPass): [string, string] => {
  const ls = pass.trace.layers
  const acts = ls.filter((l) => l.kind === 'tanh' || l.kind === 'relu')
  const hidden = acts.length > 0 ? acts : ls.filter((l, i) => l.kind === 'linear' && i < ls.length - 1)
  return [hidden[0].name, hidden[hidden.length - 1].name]
}
const actRatio = (p: TrainingPass) => {
  const [a, b] = depthEnds(p)
  return stdOf(p, b, 'out') / stdOf(p, a, 'out')
}
const gradRatio = (p: TrainingPass) => {
  const [a, b] = depthEnds(p)
  return stdOf(p, a, 'grad') / stdOf(p, b, 'grad')
}

/**
 * The knob x in [lo, hi] (searched on a log scale, or a linear one) at which `measure` is closest to
 * `target`, for a measure that moves one way with x: bisection.
 */
const solve = (
  f: (x: number) => number,
  target: number,
  side: 'over' | 'under',
  lo: number,
  hi: number,
  log: boolean,
  steps = 28,
): number => {
  const to = (x: number) => (log ? Math.log(x) : x),
    from = (y: number) => (log ? Math.exp(y) : y)
  let a = to(lo),
    b = to(hi)
  const up = f(from(b)) > f(from(a))
  for (let i = 0; i < steps; i++) {
    const mid = (a + b) / 2
    if (f(from(mid)) < target === up) a = mid
    else b = mid
  }
  // the end of the last bracket on the target's side: a figure that moves in steps (a share of units)
  // may sit right at the threshold in the middle of the bracket
  return from((side === 'over') === up ? b : a)
}

/** One seed's draws, threaded by hand. */
const drawer = (seed: number) => {
  let state: RngState = seedRng(seed)
  const u = (): number => {
    const [x, next] = uniform(1)(state)
    state = next
    return x[0]
  }
  return {
    u,
    between: (lo: number, hi: number) => lo + (hi - lo) * u(),
    int: (lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1)),
    pick: <A>(xs: readonly A[]): A => xs[Math.floor(u() * xs.length)],
    seed: () => Math.floor(u() * 2 ** 31),
  }
}
type Draw = ReturnType<typeof drawer>

interface Built {
  readonly model: Model
  readonly pass: TrainingPass
  readonly what: string
  readonly value: number
  readonly threshold: number
  readonly side: 'over' | 'under' | 'none'
  /** The learning rate, when the planted problem is the learning rate. */
  readonly lr?: number
}

/** `threshold` moved a random 3% to `far` (relative) over or under it. */
const near = (d: Draw, threshold: number, side: 'over' | 'under', far = 0.3) =>
  threshold * (side === 'over' ? 1 + d.between(0.03, far) : 1 - d.between(0.03, Math.min(far, 0.6)))

/** How each kind of case is planted: a random network, one knob, a target figure near the rule's threshold. */
const plant = (d: Draw, kind: string, side: 'over' | 'under'): Built => {
  const batch = batchOf(32, d.seed(), examples())
  const run = (m: Model) => trainingPass(m, batch.X, batch.Y)
  const base = (a: Arch) => initModel(layersOf(a))(seedRng(d.seed()))[0]
  const width = d.pick([40, 64, 100])
  const built = (model: Model, what: string, value: (p: TrainingPass) => number, threshold: number): Built => {
    const pass = run(model)
    return {
      model,
      pass,
      what: `${what}, ${side === 'over' ? 'just over' : 'just under'}`,
      value: value(pass),
      threshold,
      side,
    }
  }
  switch (kind) {
    case 'confidently-wrong': {
      const m = base({ act: d.pick(['tanh', 'relu'] as const), depth: d.int(1, 3), width })
      const out = m.layers.filter((l) => l.kind === 'linear').at(-1)?.name ?? ''
      const loss = (p: TrainingPass) => p.trace.loss
      const target =
        Math.log(V()) + rule.lossAboveUniform + (side === 'over' ? d.between(0.02, 0.15) : -d.between(0.02, 0.3))
      const x = solve((k) => run(tweak(m, { [`${out}.weight`]: k })).trace.loss, target, side, 1, 3000, true)
      return built(tweak(m, { [`${out}.weight`]: x }), 'a confidently wrong output layer', loss, Math.log(V()) + 1)
    }
    case 'saturated':
    case 'saturated-one-sided': {
      const depth = d.int(1, 4),
        k = d.int(1, depth)
      const m = base({ act: 'tanh', depth, width })
      const bias = kind === 'saturated' ? {} : { [`linear${k}.bias`]: d.pick([-1, 1]) * d.between(1, 1.4) }
      const share = (p: TrainingPass) =>
        saturationFraction(p.trace.layers.find((l) => l.name === `tanh${k}`)?.out.data ?? [], rule.saturationLevel)
      const x = solve(
        (s) => share(run(tweak(m, { [`linear${k}.weight`]: s }, bias))),
        rule.saturatedShare * (side === 'over' ? 1 + d.between(0.01, 0.15) : 1 - d.between(0.01, 0.08)),
        side,
        0.05,
        30,
        true,
      )
      const what = `saturated tanh${k}${kind === 'saturated' ? '' : ' (on one side)'}`
      return built(tweak(m, { [`linear${k}.weight`]: x }, bias), what, share, rule.saturatedShare)
    }
    case 'dead-units':
    case 'dead-units-tanh': {
      const act = kind === 'dead-units' ? 'relu' : 'tanh'
      const depth = d.int(1, 3),
        k = d.int(1, depth)
      const m = base({ act, depth, width })
      const dead = (p: TrainingPass) => {
        const l = p.trace.layers.find((x) => x.name === `${act}${k}`)
        return l === undefined ? 0 : deadUnits(l.out, act).length / l.out.shape[1]
      }
      // under: exactly a quarter of the units dead (not more than a quarter); over: a few percent more
      // (the bisection keeps the end strictly below its target: a hair above a quarter lands on it)
      const target = side === 'under' ? rule.deadShare + 1e-9 : rule.deadShare * (1 + d.between(0.03, 0.2))
      // a ReLU unit dies under a negative bias; a tanh unit is pinned at +1 by a large positive one
      const b = solve(
        (v) => dead(run(tweak(m, {}, { [`linear${k}.bias`]: v }))),
        target,
        side,
        act === 'relu' ? -8 : 0,
        act === 'relu' ? 0 : 8,
        false,
      )
      return built(tweak(m, {}, { [`linear${k}.bias`]: b }), `dead units in ${act}${k}`, dead, rule.deadShare)
    }
    case 'exploding':
    case 'vanishing':
    case 'exploding-gradients':
    case 'vanishing-gradients': {
      const grads = kind.endsWith('gradients')
      const act: Act = kind.startsWith('exploding') ? 'none' : d.pick(['none', 'tanh', 'relu'] as const)
      const depth = d.int(3, 6)
      const m = base({ act, depth, width })
      const hidden = hiddenWeights(m)
      const gain = (g: number) => tweak(m, Object.fromEntries(hidden.map((w) => [w, g])))
      const ratio = grads ? gradRatio : actRatio
      const threshold = kind.startsWith('exploding') ? rule.grow : rule.shrink
      const x = solve((g) => ratio(run(gain(g))), near(d, threshold, side, 0.15), side, 0.2, 5, true)
      const what = `${kind.startsWith('exploding') ? 'exploding' : 'vanishing'} ${grads ? 'gradients' : 'activations'} over ${depth} ${act} layers`
      return built(gain(x), what, ratio, threshold)
    }
    case 'shallow': {
      const depth = d.int(1, 2)
      const m = base({ act: d.pick(['none', 'tanh', 'relu'] as const), depth, width })
      const g = side === 'over' ? d.between(4, 8) : d.between(0.05, 0.2)
      const w = hiddenWeights(m).at(-1) ?? ''
      return {
        ...built(tweak(m, { [w]: g }), `${depth} hidden layer(s), too shallow to judge depth`, () => depth, 3),
        side: 'none',
      }
    }
    default: {
      // 'lr-high', 'lr-low': the median log10 update:data planted near -2 or -4
      const depth = side === 'under' ? d.pick([2, 4]) : d.int(1, 4)
      const m = base({ act: d.pick(['tanh', 'relu', 'none'] as const), depth, width })
      const pass = run(m)
      const level = median(ratiosAt1(m, pass))
      const threshold = kind === 'lr-high' ? rule.updateHigh : rule.updateLow
      const target = threshold + (side === 'over' ? d.between(0.02, 0.15) : -d.between(0.01, 0.06))
      return {
        model: m,
        pass,
        what: `learning rate with median log10 update:data near ${threshold}, ${side === 'over' ? 'just over' : 'just under'}`,
        value: target,
        threshold,
        side,
        lr: 10 ** (target - level),
      }
    }
  }
}

/** Hidden weights whose median and mean of log10 update:data fall on either side of a threshold. */
const meanAgainstMedian = (d: Draw): Built => {
  for (;;) {
    const batch = batchOf(32, d.seed(), examples())
    const depth = d.int(3, 5)
    const m0 = initModel(layersOf({ act: d.pick(['tanh', 'relu'] as const), depth, width: d.pick([40, 64, 100]) }))(
      seedRng(d.seed()),
    )[0]
    const odd = `linear${d.int(1, depth)}.weight`
    const m = tweak(m0, { [odd]: d.pick([0.02, 30]) })
    const pass = trainingPass(m, batch.X, batch.Y)
    const rs = ratiosAt1(m, pass)
    const med = median(rs),
      mean = rs.reduce((s, r) => s + r, 0) / rs.length
    if (Math.abs(mean - med) < 0.3) continue
    const threshold = mean > med ? rule.updateHigh : rule.updateLow
    return {
      model: m,
      pass,
      what: `learning rate whose mean and median log10 update:data fall either side of ${threshold}`,
      value: (med - mean) / 2 + threshold,
      threshold,
      side: mean > med ? 'under' : 'over',
      lr: 10 ** (threshold - (med + mean) / 2),
    }
  }
}

/** A healthy network: Kaiming init, or BatchNorm after each Linear. */
const healthy = (d: Draw): Built => {
  const batch = batchOf(32, d.seed(), examples())
  const bn = d.u() < 0.5
  const m = initModel(layersOf({ act: 'tanh', depth: d.int(1, 4), width: d.pick([40, 64, 100]), batchNorm: bn }))(
    seedRng(d.seed()),
  )[0]
  return {
    model: m,
    pass: trainingPass(m, batch.X, batch.Y),
    what: 'nothing wrong',
    value: 0,
    threshold: 0,
    side: 'none',
  }
}

const kinds = [
  'confidently-wrong',
  'saturated',
  'saturated-one-sided',
  'dead-units',
  'dead-units-tanh',
  'exploding',
  'vanishing',
  'exploding-gradients',
  'vanishing-gradients',
  'shallow',
  'lr-high',
  'lr-low',
] as const

const drawn = new Map<number, { cases: Case[]; plantings: Planting[] }>()

/** The cases of one seed, each with what was planted in it. */
const draw = (seed: number): { cases: Case[]; plantings: Planting[] } => {
  const cached = drawn.get(seed)
  if (cached !== undefined) return cached
  const d = drawer(seed)
  const builds: Built[] = [
    ...kinds.flatMap((k) => (['over', 'under'] as const).map((side) => plant(d, k, side))),
    meanAgainstMedian(d),
    healthy(d),
  ]
  // shuffled, so that a case's name says nothing about what was planted in it
  const order = builds.map((b, i) => ({ b, i, key: d.u() })).sort((x, y) => x.key - y.key)
  const named = order.map(({ b }, i) => {
    const name = `case ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`
    // every case not planted on the learning rate trains at a healthy one: median log10 update:data in [-3.5, -2.5]
    const lr = b.lr ?? 10 ** (d.between(-3.5, -2.5) - median(ratiosAt1(b.model, b.pass)))
    const c: Case = { name, vocabSize: V(), trace: b.pass.trace, params: b.model.params, lr }
    const p: Planting = { name, what: b.what, value: b.value, threshold: b.threshold, side: b.side }
    return { c, p }
  })
  const result = { cases: named.map((x) => x.c), plantings: named.map((x) => x.p) }
  drawn.set(seed, result)
  return result
}

/** The cases drawn from `seed` (this run's `caseSeed` by default), built on first use (a second or two). */
export const mysteries = (seed: number = caseSeed): readonly Case[] => draw(seed).cases

/** What was planted in each case of `seed`: the kata's own check that its cases are what they claim. */
export const plantings = (seed: number = caseSeed): readonly Planting[] => draw(seed).plantings
