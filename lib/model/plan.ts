/**
 * A step plan: the training step of one architecture at one batch size, laid out once in an arena
 * (engine/kernels/arena.ts) and run at every step of a training loop without allocating. Every
 * layer's output and gradient, every parameter and its gradient, and what each backward needs live
 * in the arena's memory across the layers of a step and across steps; the products read them
 * where they lie, the plain loops through views.
 *
 * A plan is the loop's own: the parameters it holds are updated in place, so it hands out copies
 * (`params`, `buffers`, `trace`) whenever anything is to outlive the step, and the tensors a caller
 * gets are values as everywhere else. Its arithmetic is the model's (nn.ts, train.ts), the same
 * operations in the same order on the same values: plan.test.ts trains with both and compares
 * every bit.
 */
import { matrixRoom, newArena, type Slot } from '../engine/kernels/arena.ts'
import { updateMeasured } from '../engine/kernels/sgd.ts'
import type { Indices } from '../engine/ops.ts'
import type { Tensor } from '../engine/tensor.ts'
import type { PlannedLayer } from './layers/layer.ts'
import { opsOf, checkLayers, type Model, type Params, type Trace } from './nn.ts'
import { crossEntropyInto } from './loss.ts'

/** Marks the end of a phase of a step (the profile in bench/ times each); the plan calls it when given. */
export type PhaseClock = (phase: string) => void

export interface StepPlan {
  /** The batch size the plan was laid out for. */
  readonly rows: number
  /** Forward, cross-entropy and backward on a batch; returns the loss (the parameters are not yet moved). */
  readonly pass: (indices: Indices, targets: Indices, clock?: PhaseClock) => number
  /**
   * p -= lr * grad for every parameter, in place; for each of the measured parameters, the
   * standard deviations of its gradient and of itself before the move go to `stds` first
   * (kernels/sgd.ts: the update:data ratio's figures, in the same passes as the update).
   */
  readonly update: (lr: number) => void
  /** std(grad) and std(param) of each measured parameter at the last update, in pairs, in the order asked. */
  readonly stds: Float64Array
  /** The live parameter and gradient by name: read them before the next step, never keep them. */
  readonly live: (name: string) => { readonly param: Tensor; readonly grad: Tensor }
  /** Copies of the parameters as they are now. */
  readonly params: () => Params
  /** Copies of the running statistics as they are now. */
  readonly buffers: () => Params
  /** A copy of what the last pass saw, as trainingPass gives it. */
  readonly trace: (loss: number) => Trace
}

interface Entry {
  readonly name: string
  readonly shape: readonly number[]
  readonly slot: Slot
  readonly gradSlot: Slot
}

/**
 * A plan for `model`'s architecture and batches of `rows`, starting from its parameters, measuring
 * the parameters named in `measured` at every update; undefined without WebAssembly SIMD.
 */
export const stepPlan = (model: Model, rows: number, measured: readonly string[] = []): StepPlan | undefined => {
  const arena = newArena()
  if (arena === undefined) return undefined
  const { layers } = model
  checkLayers(layers)
  const entries: Entry[] = Object.entries(model.params).map(([name, t]) => ({
    name,
    shape: t.shape,
    slot: arena.alloc(t.data.length),
    // a Linear weight's gradient is a product's C: room for its rows rounded up to four
    gradSlot: arena.alloc(t.data.length, t.shape.length === 2 ? matrixRoom(t.shape[0], t.shape[1]) : t.data.length),
  }))
  const byName = new Map(entries.map((e) => [e.name, e]))
  const buffers = new Map(Object.entries(model.buffers).map(([name, t]) => [name, Float64Array.from(t.data)]))
  const entry = (name: string): Entry => {
    const e = byName.get(name)
    if (e === undefined) throw new Error(`step plan: no parameter named ${name}`)
    return e
  }
  // each layer's output and its gradient: rows by the layer's width
  const widths: number[] = []
  let width: number | undefined
  for (const [i, l] of layers.entries()) {
    width = opsOf(l).outWidth(l, width, `layer ${i} (${l.name})`, i)
    if (width === undefined) throw new Error(`step plan: the width of ${l.name}'s output is not known`)
    widths.push(width)
  }
  const outs = widths.map((w) => arena.alloc(rows * w, matrixRoom(rows, w)))
  const grads = widths.map((w) => arena.alloc(rows * w, matrixRoom(rows, w)))
  const builders = layers.map((l, i) =>
    opsOf(l).plan(l, {
      arena,
      rows,
      input: i === 0 ? undefined : outs[i - 1],
      inputGrad: i === 0 ? undefined : grads[i - 1],
      out: outs[i],
      outGrad: grads[i],
      param: (name) => entry(`${l.name}.${name}`).slot,
      grad: (name) => entry(`${l.name}.${name}`).gradSlot,
      buffer: (name) => {
        const b = buffers.get(`${l.name}.${name}`)
        if (b === undefined) throw new Error(`step plan: no running statistic named ${l.name}.${name}`)
        return b
      },
    }),
  )
  arena.seal()
  const planned: PlannedLayer[] = builders.map((b) => b())
  const views = entries.map((e) => ({ e, p: arena.view(e.slot), g: arena.view(e.gradSlot) }))
  for (const { e, p } of views) p.set(model.params[e.name].data)
  const live = new Map(
    views.map(({ e, p, g }) => [e.name, { param: { shape: e.shape, data: p }, grad: { shape: e.shape, data: g } }]),
  )
  const last = layers.length - 1
  const logits: Tensor = { shape: [rows, widths[last]], data: arena.view(outs[last]) },
    dlogits = arena.view(grads[last]),
    probs = new Float64Array(rows * widths[last])
  const forwardPhases = layers.map((l) => `${l.name} forward`),
    backwardPhases = layers.map((l) => `${l.name} backward`)
  // the order trainingPass fills paramGrads in: the last layer's first
  const gradOrder = [...layers]
    .reverse()
    .flatMap((l) => entries.filter((e) => e.name.startsWith(`${l.name}.`)).map((e) => e.name))
  for (const name of measured) entry(name)
  const measuredAt = views.map(({ e }) => 2 * measured.indexOf(e.name)).map((at) => (at < 0 ? -1 : at))
  const stds = new Float64Array(2 * measured.length)
  let lastIndices: Indices = []
  const copy = (shape: readonly number[], data: Float64Array): Tensor => ({ shape, data: data.slice() })
  return {
    rows,
    pass: (indices, targets, clock) => {
      lastIndices = indices
      for (let i = 0; i <= last; i++) {
        planned[i].forward(indices)
        clock?.(forwardPhases[i])
      }
      const loss = crossEntropyInto(logits, targets, probs, dlogits)
      clock?.('loss')
      for (let i = last; i >= 0; i--) {
        planned[i].backward()
        clock?.(backwardPhases[i])
      }
      return loss
    },
    update: (lr) => {
      const c = -lr
      for (let k = 0; k < views.length; k++) {
        const { p, g } = views[k],
          at = measuredAt[k]
        if (at >= 0) updateMeasured(p, g, c, stds, at)
        else for (let i = 0; i < p.length; i++) p[i] = p[i] + c * g[i]
      }
    },
    stds,
    live: (name) => {
      const t = live.get(name)
      if (t === undefined) throw new Error(`step plan: no parameter named ${name}`)
      return t
    },
    params: () => Object.fromEntries(views.map(({ e, p }) => [e.name, copy(e.shape, p)])),
    buffers: () =>
      Object.fromEntries(
        Object.entries(model.buffers).map(([name, t]) => [name, copy(t.shape, buffers.get(name) as Float64Array)]),
      ),
    trace: (loss) => {
      if (lastIndices.length === 0) throw new Error('step plan: no pass to trace yet')
      return {
        loss,
        layers: layers.map((l, i) => ({
          name: l.name,
          kind: l.kind,
          out: copy([rows, widths[i]], arena.view(outs[i])),
          grad: copy([rows, widths[i]], arena.view(grads[i])),
        })),
        paramGrads: Object.fromEntries(
          gradOrder.map((name) => {
            const t = live.get(name) as { grad: Tensor }
            return [name, copy(t.grad.shape, t.grad.data)]
          }),
        ),
      }
    },
  }
}
