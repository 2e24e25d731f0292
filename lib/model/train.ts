/**
 * Training: an SGD step as a pure function (state, batch) -> state, the lecture's learning-rate
 * schedule, and the History a run leaves behind for the diagnostics.
 */
import type { Tensor } from '../engine/tensor.ts'
import { addScaled, moments } from '../engine/ops.ts'
import { trainingPass, forward, describeParams, type Model, type Params, type Trace } from './nn.ts'
import { crossEntropy } from './loss.ts'
import type { RngState } from '../engine/random.ts'
import type { Batch } from './data.ts'
import { stepPlan, type StepPlan } from './plan.ts'

// ---------------------------------------------------------------------------------------------
// Learning rate

/** Step decay: `initial` until step `decayAt`, then `decayed` (the lecture: 0.1, then 0.01 halfway). */
export interface Schedule {
  readonly initial: number
  readonly decayed: number
  readonly decayAt: number
}

export const lectureSchedule = (steps: number, decayAt = Math.floor(steps / 2)): Schedule => ({
  initial: 0.1,
  decayed: 0.01,
  decayAt,
})

export const learningRate = (schedule: Schedule, step: number): number =>
  step < schedule.decayAt ? schedule.initial : schedule.decayed

// ---------------------------------------------------------------------------------------------
// Instruments computed every step

/**
 * log10(std(lr * grad) / std(param)): how large a step is next to what it changes.
 * About -3 is healthy; much higher means the learning rate is too high, much lower too low.
 */
export const updateToDataRatio = (lr: number, grad: Tensor, param: Tensor): number =>
  Math.log10((lr * moments(grad.data).std) / moments(param.data).std)

/** std(grad) / std(param): the gradient's scale next to the parameter's. */
export const gradToDataRatio = (grad: Tensor, param: Tensor): number => moments(grad.data).std / moments(param.data).std

// ---------------------------------------------------------------------------------------------
// The step

export interface TrainState {
  readonly model: Model
  readonly step: number
}

export interface StepResult {
  readonly state: TrainState
  readonly lr: number
  /** What the pass saw before the update: the batch's loss is `trace.loss`. */
  readonly trace: Trace
}

/** p - lr * grad for every parameter (ops' addScaled); BatchNorm's running statistics come from the pass. */
const sgdUpdate = (params: Params, grads: Params, lr: number): Params => {
  const next: Record<string, Tensor> = {}
  for (const name in params) next[name] = addScaled(params[name], -lr, grads[name])
  return next
}

/** One step of stochastic gradient descent on a batch. */
export const sgdStep = (state: TrainState, batch: Batch, lr: number): StepResult => {
  const pass = trainingPass(state.model, batch.X, batch.Y)
  const model = {
    ...state.model,
    params: sgdUpdate(state.model.params, pass.trace.paramGrads, lr),
    buffers: pass.buffers,
  }
  return { state: { model, step: state.step + 1 }, lr, trace: pass.trace }
}

// ---------------------------------------------------------------------------------------------
// The loop and its History

export interface Snapshot {
  readonly step: number
  /** The Trace of the batch at this step, before the update. */
  readonly trace: Trace
  /** The parameters the trace was taken with. */
  readonly params: Params
  /** BatchNorm's running statistics after this step. */
  readonly buffers: Params
  readonly lr: number
}

export interface History {
  /** The loss of every step's batch. */
  readonly loss: Float64Array
  /** The learning rate of every step. */
  readonly lr: Float64Array
  /** Names of the 2-D parameters (the embedding and every Linear weight) followed by `updateToData`. */
  readonly weights: readonly string[]
  /** log10 update:data ratio of each weight at every step, weights[w] -> steps. */
  readonly updateToData: readonly Float64Array[]
  readonly snapshots: readonly Snapshot[]
}

export interface TrainOptions {
  /** Names the run in errors and progress. */
  readonly name: string
  readonly steps: number
  readonly schedule: Schedule
  /** Steps whose Trace is kept (e.g. the first, for the initial-state diagnostics). */
  readonly snapshotSteps?: readonly number[]
  /** Called after every step; cheap enough to update a progress bar. */
  readonly onStep?: (step: number, loss: number) => void
}

/** A NaN or infinite loss: training stops and says where and what was last healthy. */
export class TrainingDiverged extends Error {
  constructor(
    readonly experiment: string,
    readonly step: number,
    readonly loss: number,
    readonly lastHealthy: { step: number; loss: number; lr: number } | undefined,
  ) {
    super(
      `${experiment}: the loss became ${loss} at step ${step}` +
        (lastHealthy === undefined
          ? ' (the very first step: check the initialisation)'
          : `; the last healthy step was ${lastHealthy.step} with loss ${lastHealthy.loss.toFixed(4)} at learning rate ${lastHealthy.lr}`) +
        '. A learning rate too high for this initialisation is the usual cause.',
    )
    this.name = 'TrainingDiverged'
  }
}

/**
 * Trains for `steps` steps, drawing batches with `nextBatch` (a state-passing draw, so the run
 * is a pure function of the model, the generator state and the options). The loop passes the
 * generator on by hand rather than through State's combinators: each step also stops on a NaN,
 * records ratios and snapshots and reports progress, and a fold of 200,000 steps through `chain`
 * would hide that without making it clearer.
 */
export const train = (
  model: Model,
  rng: RngState,
  nextBatch: (s: RngState) => readonly [Batch, RngState],
  options: TrainOptions,
): { readonly model: Model; readonly rng: RngState; readonly history: History } => {
  const { steps, schedule, name } = options
  const snapshotSteps = new Set(options.snapshotSteps ?? [])
  // every 2-D parameter, the embedding C included, as the lecture plots them
  const weights = describeParams(model.layers)
    .filter((p) => p.shape.length === 2)
    .map((p) => p.name)
  const loss = new Float64Array(steps)
  const lrs = new Float64Array(steps)
  const updateToData = weights.map(() => new Float64Array(steps))
  const snapshots: Snapshot[] = []
  const diverged = (step: number, stepLoss: number) =>
    new TrainingDiverged(
      name,
      step,
      stepLoss,
      step === 0 ? undefined : { step: step - 1, loss: loss[step - 1], lr: learningRate(schedule, step - 1) },
    )
  let state: TrainState = { model, step: 0 }
  // the step plan of this architecture (plan.ts): the same bits as sgdStep, without its allocations
  let plan: StepPlan | undefined
  // whether the plan's parameters have moved from state.model's (until they do, a snapshot takes those)
  let planMoved = false
  let s = rng
  for (let step = 0; step < steps; step++) {
    const [batch, next] = nextBatch(s)
    s = next
    const lr = learningRate(schedule, step)
    if (plan === undefined || plan.rows !== batch.Y.length) {
      if (plan !== undefined)
        state = { model: { ...state.model, params: plan.params(), buffers: plan.buffers() }, step }
      plan = stepPlan(state.model, batch.Y.length, weights)
      planMoved = false
    }
    if (plan !== undefined) {
      const stepLoss = plan.pass(batch.X, batch.Y)
      if (!Number.isFinite(stepLoss)) throw diverged(step, stepLoss)
      loss[step] = stepLoss
      lrs[step] = lr
      const snapshot = snapshotSteps.has(step)
      const trace = snapshot ? plan.trace(stepLoss) : undefined
      const params = snapshot ? (planMoved ? plan.params() : state.model.params) : undefined
      // update:data (updateToDataRatio's figures) is measured by the update itself, before the move
      plan.update(lr)
      planMoved = true
      for (let w = 0; w < weights.length; w++)
        updateToData[w][step] = Math.log10((lr * plan.stds[2 * w]) / plan.stds[2 * w + 1])
      if (trace !== undefined && params !== undefined)
        snapshots.push({ step, trace, params, buffers: plan.buffers(), lr })
      options.onStep?.(step, stepLoss)
      continue
    }
    const before = state.model.params
    const r = sgdStep(state, batch, lr)
    const stepLoss = r.trace.loss
    if (!Number.isFinite(stepLoss)) throw diverged(step, stepLoss)
    loss[step] = stepLoss
    lrs[step] = lr
    for (let w = 0; w < weights.length; w++)
      updateToData[w][step] = updateToDataRatio(lr, r.trace.paramGrads[weights[w]], before[weights[w]])
    if (snapshotSteps.has(step))
      snapshots.push({ step, trace: r.trace, params: before, buffers: r.state.model.buffers, lr })
    state = r.state
    options.onStep?.(step, stepLoss)
  }
  if (plan !== undefined)
    state = { model: { ...state.model, params: plan.params(), buffers: plan.buffers() }, step: steps }
  return { model: state.model, rng: s, history: { loss, lr: lrs, weights, updateToData, snapshots } }
}

/**
 * The mean loss over a whole split in evaluation mode, in chunks so that memory stays small;
 * `onChunk` hears the examples done so far after each chunk (progress on a big split).
 */
export const evaluateLoss = (
  model: Model,
  X: Int32Array | Uint8Array,
  Y: Int32Array | Uint8Array,
  chunk = 8192,
  onChunk?: (done: number) => void,
): number => {
  const blockSize = X.length / Y.length
  let total = 0
  for (let start = 0; start < Y.length; start += chunk) {
    const end = Math.min(Y.length, start + chunk)
    const logits = forward(model, X.subarray(start * blockSize, end * blockSize), 'eval').logits
    total += crossEntropy(logits, Y.subarray(start, end)) * (end - start)
    onChunk?.(end)
  }
  return total / Y.length
}
