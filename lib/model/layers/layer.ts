/**
 * What every layer kind provides, as one record per kind (micrograd's `Neuron`, teenygrad's `mlops`):
 * the parameters it owns and how they start, the width it takes and gives, its forward (which keeps
 * what its backward needs) and its backward. The model (../nn.ts) walks a list of layers and asks
 * each one's record; it knows nothing of any kind in particular.
 */
import type { Arena, Slot } from '../../engine/kernels/arena.ts'
import type { Indices } from '../../engine/ops.ts'
import { ShapeError, type Tensor } from '../../engine/tensor.ts'
import type { InitScheme } from '../init.ts'

/** A parameter a layer owns, named `<layer>.<name>` in the model. */
export interface ParamSpec {
  /** The short name: "weight", "bias", "gamma", "beta". */
  readonly name: string
  readonly shape: readonly number[]
  readonly init: InitScheme
  /** The fan-in a Kaiming scheme reads. */
  readonly fanIn: number
  /** Weight matrices (2-D, not embeddings) are what the update:data chart follows. */
  readonly isWeight: boolean
}

/** A layer's tensors by their short names ("weight", "runningMean"). */
export type Tensors = Readonly<Record<string, Tensor>>

/** What a forward sees besides its input. */
export interface ForwardContext {
  /** The model's input: context indices, batch * blockSize, row-major (what an embedding reads). */
  readonly indices: Indices
  readonly training: boolean
  /** One of this layer's parameters or running statistics by its short name. */
  readonly param: (name: string) => Tensor
}

export interface Forward<Saved> {
  readonly out: Tensor
  /** What backward needs: kept in training, dropped in evaluation (the `no_grad` idea). */
  readonly saved: Saved
  /** Running statistics after the pass, by short name (BatchNorm only). */
  readonly buffers?: Tensors
}

export interface Backward {
  /** d loss / d input; undefined when the layer has no input to pass it to (an embedding). */
  readonly dx: Tensor | undefined
  /** d loss / d each parameter, by short name. */
  readonly grads: Tensors
}

/**
 * What a layer sees of a step plan (../plan.ts): the arena, the batch's rows, and the slots the
 * plan laid out for it, each `rows` (rounded up to a multiple of 4) by its width.
 */
export interface PlanContext {
  readonly arena: Arena
  readonly rows: number
  /** The previous layer's output and its gradient, which this layer's backward writes (none for the first). */
  readonly input: Slot | undefined
  readonly inputGrad: Slot | undefined
  readonly out: Slot
  readonly outGrad: Slot
  /** A parameter and its gradient by short name. */
  readonly param: (name: string) => Slot
  readonly grad: (name: string) => Slot
  /** A running statistic by short name: the plan's own copy, which the forward moves in place. */
  readonly buffer: (name: string) => Float64Array
}

/** A layer's forward and backward in a step plan, on its slots: the same arithmetic, in the same order, as its own. */
export interface PlannedLayer {
  readonly forward: (indices: Indices) => void
  readonly backward: () => void
}

/** A layer kind: everything about it in one place. `L` is its spec with the name the model gave it. */
export interface LayerOps<L, Saved> {
  readonly params: (l: L) => readonly ParamSpec[]
  /** Running statistics and their starting values (not trained by gradient). */
  readonly buffers: (l: L) => Tensors
  /**
   * The width of the output given the width of the input (undefined before the first layer, or
   * when it is not known); throws a ShapeError naming `where` when the layer cannot take that input.
   */
  readonly outWidth: (l: L, width: number | undefined, where: string, index: number) => number | undefined
  readonly forward: (l: L, x: Tensor | undefined, ctx: ForwardContext) => Forward<Saved>
  readonly backward: (l: L, saved: Saved, g: Tensor, param: (name: string) => Tensor) => Backward
  /**
   * The layer in a step plan: lays out the scratch it needs in the arena, and returns what builds
   * its forward and backward once the layout is sealed (views on the arena are taken then).
   */
  readonly plan: (l: L, ctx: PlanContext) => () => PlannedLayer
}

/** Layers in a model carry the name their parameters and trace entries go by. */
export type Named<S> = S & { readonly name: string }

export const noBuffers = (): Tensors => ({})

/** The input of a layer that needs one; only an embedding can start a model. */
export const requireInput = <T>(l: { readonly name: string }, x: T | undefined): T => {
  if (x === undefined)
    throw new ShapeError('model', `layer ${l.name} has no input: the model must start with an embedding`)
  return x
}
