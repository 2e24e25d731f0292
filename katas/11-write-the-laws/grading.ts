/**
 * How kata 11 grades a set of laws: each law is run (fast-check, a fixed seed) against an
 * implementation through a recorder that counts the calls and the distinct inputs, so a law that
 * cannot fail is told apart from one that holds.
 */
import fc from 'fast-check'
import type { Tensor } from '../../lib/engine/tensor.ts'
import type { Law } from './types.ts'

/** Runs of each law: fast-check's default, with a fixed seed so a grade is the same every time. */
export const LAW_RUNS = 100
const RUNS = { numRuns: LAW_RUNS, seed: 20240611, endOnFailure: true } as const
/** A law must finish in this many milliseconds on the reference. */
export const LAW_BUDGET_MS = 2000

export interface LawRun {
  readonly holds: boolean
  /** Why it failed: fast-check's counterexample and the error, in one line. */
  readonly failure: string
  readonly ms: number
  readonly calls: number
  readonly distinctInputs: number
  readonly runs: number
  readonly skips: number
}

const isTensor = (a: unknown): a is Tensor =>
  typeof a === 'object' && a !== null && 'shape' in a && 'data' in a && (a as Tensor).data instanceof Float64Array

const show = (a: unknown): string => {
  if (isTensor(a)) {
    const xs = Array.from(a.data.subarray(0, 12), (x) => Number(x.toPrecision(4)))
    return `tensor [${a.shape.join(', ')}] [${xs.join(', ')}${a.data.length > 12 ? ', …' : ''}]`
  }
  if (Array.isArray(a)) return `[${a.map(show).join(', ')}]`
  return typeof a === 'number' ? String(Number(a.toPrecision(6))) : String(a)
}
const keyOf = (args: readonly unknown[]): string =>
  args.map((a) => (isTensor(a) ? `${a.shape.join('x')}:${Array.from(a.data).join(',')}` : String(a))).join('|')

/** Runs one law against `f`, counting calls and distinct inputs. */
export const runLaw = <F extends (...args: never[]) => unknown>(law: Law<F>, f: F): LawRun => {
  let calls = 0
  const inputs = new Set<string>()
  const recorded = ((...args: never[]) => {
    calls += 1
    if (inputs.size < 2) inputs.add(keyOf(args))
    return f(...args)
  }) as F
  const started = performance.now()
  try {
    const details = fc.check(law.property(recorded), RUNS)
    const error = details.errorInstance
    const message = error instanceof Error ? error.message.split('\n')[0] : error === null ? '' : String(error)
    return {
      holds: !details.failed,
      failure: details.failed
        ? `${details.counterexample === null ? '' : `on ${show(details.counterexample)}: `}${message || 'the property returned false'}`
        : '',
      ms: performance.now() - started,
      calls,
      distinctInputs: inputs.size,
      runs: details.numRuns,
      skips: details.numSkips,
    }
  } catch (e) {
    return {
      holds: false,
      failure: `the law could not be run: ${e instanceof Error ? e.message : String(e)}`,
      ms: performance.now() - started,
      calls,
      distinctInputs: inputs.size,
      runs: 0,
      skips: 0,
    }
  }
}

/** A number from a counter, the same every time: "random" output for the nonsense implementations. */
const noise = (k: number): number => {
  const x = Math.sin(k * 12.9898 + 78.233) * 43758.5453
  return (x - Math.floor(x)) * 20 - 10
}
let counter = 0

/** Implementations no law should pass: NaN everywhere, random numbers, the wrong shape. */
export const nonsenseTensorFunctions = <F extends (x: Tensor, ...rest: never[]) => Tensor>(): ReadonlyArray<{
  readonly what: string
  readonly f: F
}> => [
  { what: 'returns NaN everywhere', f: ((x: Tensor) => ({ shape: x.shape, data: x.data.map(() => Number.NaN) })) as F },
  {
    what: 'returns random numbers',
    f: ((x: Tensor) => ({ shape: x.shape, data: x.data.map(() => noise(counter++)) })) as F,
  },
  { what: 'returns the wrong shape', f: (() => ({ shape: [1, 1], data: Float64Array.of(0.5) })) as unknown as F },
]
export const nonsenseNumberFunctions = <F extends (...args: never[]) => number>(): ReadonlyArray<{
  readonly what: string
  readonly f: F
}> => [
  { what: 'returns NaN', f: (() => Number.NaN) as F },
  { what: 'returns random numbers', f: (() => noise(counter++)) as F },
  { what: 'returns −1', f: (() => -1) as F },
]

/**
 * Why a law cannot fail, or undefined when it can: it never calls the function, `fc.pre` rejects
 * (nearly) every input, it calls the function on one input only, or it passes even on nonsense.
 */
export const whyCannotFail = <F extends (...args: never[]) => unknown>(
  law: Law<F>,
  reference: F,
  nonsense: ReadonlyArray<{ readonly what: string; readonly f: F }>,
  fn: string,
): string | undefined => {
  const r = runLaw(law, reference)
  if (r.runs === 0 || r.skips > r.runs)
    return `law "${law.name}" cannot fail: fc.pre rejects almost every input (${r.skips} skipped, ${r.runs} run), so nothing is checked; generate inputs that meet the condition instead of filtering them`
  if (r.calls === 0)
    return `law "${law.name}" cannot fail: it never calls the ${fn} it is given; build the property from that f (property: (f) => fc.property(arb, (x) => ... f(x) ...))`
  if (r.distinctInputs < 2)
    return `law "${law.name}" ignores its input: every run calls ${fn} with the same argument, so it checks one example ${r.runs} times; build the argument from what fast-check generates`
  const passes = nonsense.filter((n) => runLaw(law, n.f).holds)
  if (passes.length === nonsense.length)
    return `law "${law.name}" cannot fail: it passes even on a ${fn} that ${nonsense.map((n) => n.what).join(', on one that ')}; does its predicate return false (or throw) when f's answer is wrong? A predicate that returns nothing checks nothing`
  return undefined
}

/** The laws that reject an implementation (fail on it). */
export const lawsThatReject = <F extends (...args: never[]) => unknown>(laws: ReadonlyArray<Law<F>>, f: F): string[] =>
  laws.filter((law) => !runLaw(law, f).holds).map((law) => law.name)
