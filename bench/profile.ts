/**
 * `npm run bench -- --profile`: where a training step's CPU time goes, phase by phase (the batch,
 * forward per layer, loss, backward per layer, update:data, update), for the model's own step
 * (nn.ts's trainingPass and train.ts's update, what sgdStep runs) and for the step plan train()
 * runs (lib/model/plan.ts), interleaved; and the gemm's share: the step's matrix products alone,
 * run in an arena on the same shapes, next to the whole step.
 *
 * CPU time is the process's (process.cpuUsage, user + system), summed per phase over many steps;
 * what a mark itself costs is measured and taken off. Best of `rounds` rounds per path.
 */
import * as E from 'fp-ts/Either'
import { newArena } from '../lib/engine/kernels/arena.ts'
import { addScaled } from '../lib/engine/ops.ts'
import { seedRng, type RngState } from '../lib/engine/random.ts'
import type { Tensor } from '../lib/engine/tensor.ts'
import { type Batch, readNamesFile, sampleBatch } from '../lib/model/data.ts'
import { type ExperimentName, findExperiment, prepareCorpus } from '../lib/model/experiments.ts'
import { crossEntropyWithGrad } from '../lib/model/loss.ts'
import { initModel, type Layer, type Model, opsOf } from '../lib/model/nn.ts'
import { type PhaseClock, stepPlan } from '../lib/model/plan.ts'
import { updateToDataRatio } from '../lib/model/train.ts'

const cpu = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

/** A clock that adds each phase's CPU microseconds into `totals`. */
const phaseClock = (totals: Map<string, number>): { clock: PhaseClock; start: () => void } => {
  let last = 0
  return {
    start: () => {
      last = cpu()
    },
    clock: (phase) => {
      const now = cpu()
      totals.set(phase, (totals.get(phase) ?? 0) + now - last)
      last = now
    },
  }
}

/** What one mark costs, in CPU microseconds. */
const markCost = (): number => {
  const t = new Map<string, number>()
  const { clock, start } = phaseClock(t)
  const n = 20000
  start()
  const t0 = cpu()
  for (let i = 0; i < n; i++) clock('x')
  return (cpu() - t0) / n
}

/** The model's own step, walked layer by layer as trainingPass and sgdStep walk it, with a mark after each phase. */
const referenceStep = (weights: readonly string[]) => {
  return (model: Model, batch: Batch, lr: number, clock: PhaseClock): Model => {
    const param = (l: Layer) => (name: string) =>
      model.params[`${l.name}.${name}`] ?? model.buffers[`${l.name}.${name}`]
    const saved: unknown[] = []
    const buffers: Record<string, Tensor> = { ...model.buffers }
    let x: Tensor | undefined
    for (const l of model.layers) {
      const r = opsOf(l).forward(l, x, { indices: batch.X, training: true, param: param(l) })
      for (const [k, t] of Object.entries(r.buffers ?? {})) buffers[`${l.name}.${k}`] = t
      saved.push(r.saved)
      x = r.out
      clock(`${l.name} forward`)
    }
    const ce = crossEntropyWithGrad(x as Tensor, batch.Y)
    clock('loss')
    const grads: Record<string, Tensor> = {}
    let g: Tensor | undefined = ce.dlogits
    for (let i = model.layers.length - 1; i >= 0; i--) {
      const l = model.layers[i]
      const r = opsOf(l).backward(l, saved[i], g as Tensor, param(l))
      for (const [k, t] of Object.entries(r.grads)) grads[`${l.name}.${k}`] = t
      g = r.dx
      clock(`${l.name} backward`)
    }
    let sink = 0
    for (const w of weights) sink += updateToDataRatio(lr, grads[w], model.params[w])
    clock('update:data')
    const params: Record<string, Tensor> = {}
    for (const name in model.params) params[name] = addScaled(model.params[name], -lr, grads[name])
    clock('update')
    return sink === Infinity ? model : { ...model, params, buffers }
  }
}

export interface Profile {
  readonly phases: readonly string[]
  /** CPU microseconds per step, by phase, for the model's own step and for the plan. */
  readonly reference: ReadonlyMap<string, number>
  readonly plan: ReadonlyMap<string, number>
  /** CPU microseconds per step measured without marks. */
  readonly referenceStep: number
  readonly planStep: number
  /** CPU microseconds of the step's matrix products alone. */
  readonly gemmOnly: number
}

/** The profile of one config: `steps` steps per round, `rounds` rounds per path, interleaved. */
export const profileConfig = (name: ExperimentName, steps: number, rounds = 3): Profile => {
  const words = readNamesFile('data/names.txt')
  if (E.isLeft(words)) throw new Error(words.left.message)
  const corpus = prepareCorpus(words.right, 42)
  const experiment = findExperiment(name)
  if (experiment === undefined) throw new Error(`bench --profile: no experiment named ${name}`)
  const [model0, s0] = initModel(experiment.layers(corpus.vocab.size))(seedRng(1))
  const draw = sampleBatch(corpus.train, 32)
  const weights = Object.keys(model0.params).filter((k) => model0.params[k].shape.length === 2)
  const cost = markCost()
  const ref = referenceStep(weights)
  const run = (path: 'reference' | 'plan', marks: boolean): Map<string, number> & { total?: number } => {
    const totals = new Map<string, number>()
    const { clock, start } = phaseClock(totals)
    const none: PhaseClock = () => {}
    const c = marks ? clock : none
    let model = model0
    const plan = path === 'plan' ? stepPlan(model0, 32, weights) : undefined
    let s: RngState = s0
    const t0 = cpu()
    start()
    for (let step = 0; step < steps; step++) {
      const [batch, next] = draw(s)
      s = next
      c('batch')
      if (plan === undefined) {
        model = ref(model, batch, 0.1, c)
      } else {
        plan.pass(batch.X, batch.Y, c)
        // the plan measures update:data inside its update (kernels/sgd.ts): both land in 'update'
        c('update:data')
        plan.update(0.1)
        c('update')
      }
    }
    const total = (cpu() - t0) / steps
    // an empty phase can come out a hair below zero once a mark's cost is taken off
    for (const [k, v] of totals) totals.set(k, Math.max(0, v / steps - (marks ? cost : 0)))
    return Object.assign(totals, { total })
  }
  const best = (path: 'reference' | 'plan') => {
    let phases = new Map<string, number>(),
      step = Infinity,
      bestMarked = Infinity
    return {
      round: () => {
        const marked = run(path, true)
        const sum = [...marked.values()].reduce((a, b) => a + b, 0)
        if (sum < bestMarked) {
          bestMarked = sum
          phases = marked
        }
        step = Math.min(step, run(path, false).total ?? Infinity)
      },
      result: () => ({ phases, step }),
    }
  }
  const r = best('reference'),
    p = best('plan')
  run('reference', false) // warm up both
  run('plan', false)
  for (let i = 0; i < rounds; i++) {
    r.round()
    p.round()
  }
  return {
    phases: [...r.result().phases.keys()],
    reference: r.result().phases,
    plan: p.result().phases,
    referenceStep: r.result().step,
    planStep: p.result().step,
    gemmOnly: gemmOnly(model0, 32, rounds),
  }
}

/** CPU microseconds of a step's products alone (each Linear's x W, g Wᵀ and xᵀ g), in an arena, best of `rounds`. */
export const gemmOnly = (model: Model, m: number, rounds = 3): number => {
  const arena = newArena()
  if (arena === undefined) return NaN
  const linears = model.layers.flatMap((l) => (l.kind === 'linear' ? [l] : []))
  const slots = linears.map((l) => {
    const room = (r: number, c: number) => ((r + 3) & ~3) * c
    return {
      l,
      x: arena.alloc(m * l.fanIn, room(m, l.fanIn)),
      w: arena.alloc(l.fanIn * l.fanOut),
      wT: arena.alloc(l.fanIn * l.fanOut),
      out: arena.alloc(m * l.fanOut, room(m, l.fanOut)),
      dx: arena.alloc(m * l.fanIn, room(m, l.fanIn)),
      dw: arena.alloc(l.fanIn * l.fanOut, room(l.fanIn, l.fanOut)),
      b: arena.alloc(l.fanOut),
    }
  })
  arena.seal()
  for (const s of slots) {
    arena.view(s.x).fill(0.5)
    arena.view(s.w).fill(0.25)
    arena.view(s.wT).fill(0.25)
  }
  const once = () => {
    for (const { l, x, w, wT, out, dx, dw, b } of slots) {
      arena.gemm(x, l.fanIn, 1, w, out, m, l.fanIn, l.fanOut, l.bias ? b : undefined)
      arena.gemm(out, l.fanOut, 1, wT, dx, m, l.fanOut, l.fanIn)
      arena.gemm(x, 1, l.fanIn, out, dw, l.fanIn, m, l.fanOut)
    }
  }
  let best = Infinity
  for (let r = 0; r <= rounds; r++) {
    const n = 2000,
      t0 = cpu()
    for (let i = 0; i < n; i++) once()
    if (r > 0) best = Math.min(best, (cpu() - t0) / n)
  }
  return best
}

/** The profile as a Markdown table: µs and share of the step per phase, both paths. */
export const formatProfile = (name: string, p: Profile): string => {
  const pct = (v: number, total: number) => `${((100 * v) / total).toFixed(1)}%`
  const sumOf = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)
  const rt = sumOf(p.reference),
    pt = sumOf(p.plan)
  const rows = p.phases.map(
    (ph) =>
      `| ${ph} | ${(p.reference.get(ph) ?? 0).toFixed(1)} | ${pct(p.reference.get(ph) ?? 0, rt)} | ${(p.plan.get(ph) ?? 0).toFixed(1)} | ${pct(p.plan.get(ph) ?? 0, pt)} |`,
  )
  return [
    `\`${name}\`, CPU µs per step (batch 32):`,
    '',
    '| phase | sgdStep, µs | share | step plan, µs | share |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    `| sum of the phases | ${rt.toFixed(1)} | 100% | ${pt.toFixed(1)} | 100% |`,
    `| the step without marks | ${p.referenceStep.toFixed(1)} | | ${p.planStep.toFixed(1)} | |`,
    `| its products alone (gemm) | ${p.gemmOnly.toFixed(1)} | ${pct(p.gemmOnly, p.referenceStep)} | ${p.gemmOnly.toFixed(1)} | ${pct(p.gemmOnly, p.planStep)} |`,
    '',
  ].join('\n')
}
