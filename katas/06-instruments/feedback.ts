/**
 * What the checks of this kata build on: fixtures, reference computations and the feedback that
 * names the slip a failing check sees.
 */
import fc from 'fast-check'
import type { ExperimentName } from '../../lib/model/experiments.ts'
import { batchOf, findExperiment, vocabulary } from '../../lib/course/fixtures.ts'
import { initModel, trainingPass, type Model, type Trace } from '../../lib/model/nn.ts'
import { evalRng } from '../../lib/engine/random.ts'
import { uniformValue } from '../../lib/engine/arbitraries.ts'

export { tensorOf } from '../../lib/engine/arbitraries.ts'
export type { Tensor } from '../../lib/engine/tensor.ts'

// ---------------------------------------------------------------------------------------------
// The lecture's networks at initialisation, one training pass each on a batch of 32 names' contexts

const batch = batchOf(32, 2)

const passes = new Map<ExperimentName, { model: Model; trace: Trace }>()
/** The model of a lecture experiment (seed 1) and the Trace of its first training pass. */
export const atInit = (name: ExperimentName) => {
  let p = passes.get(name)
  if (p === undefined) {
    const model = evalRng(initModel(findExperiment(name)!.layers(vocabulary().size)), 1)
    p = { model, trace: trainingPass(model, batch.X, batch.Y).trace }
    passes.set(name, p)
  }
  return p
}

/** Reference moments: mean and std dividing by N. */
export const moments = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  const mean = s / xs.length
  let ss = 0
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2
  return { mean, std: Math.sqrt(ss / xs.length) }
}
/** std is accepted divided by N or by N - 1: they differ by less than 1e-3 on thousands of numbers. */
export const closeStd = (got: number, want: number) => Math.abs(got - want) <= 1e-3 * want + 1e-15

/**
 * What to say when the largest value missed the last bin: floor((max - min) / width) gives it
 * index `bins`, one past the end (the classic off-by-one of a histogram).
 */
export const largestValueHint = (xs: readonly number[], counts: ArrayLike<number>, bins: number): string => {
  const lo = Math.min(...xs),
    hi = Math.max(...xs)
  if (lo === hi) return ''
  const atMax = xs.filter((x) => x === hi).length
  let inBins = 0
  for (let i = 0; i < Math.min(bins, counts.length); i++) inBins += counts[i]
  // an array grows a count at index `bins`; a typed array drops it, and the total falls short by the largest values
  return counts.length > bins || inBins === xs.length - atMax
    ? ` For the largest value (${hi}), floor((x - min) / width) is ${bins}, one past the last bin: cap the index at ${bins - 1}.`
    : ''
}

export const values = fc.array(uniformValue(3), { minLength: 1, maxLength: 200 })
export const hiddenWeights = ['linear1.weight', 'linear2.weight', 'linear3.weight', 'linear4.weight', 'linear5.weight']

// ---------------------------------------------------------------------------------------------
