/**
 * The two laws under every graded function of every kata: the net beneath the specific checks.
 *
 * - `agreesWithReference`: the learner's function and the reference answer, called on the same
 *   random inputs (fresh copies for each), give the same output (the whole of it: every number of a
 *   tensor, every field of a verdict), or both refuse the input. A failure is shrunk to the smallest
 *   input fast-check finds and told in one line:
 *     `softmax: for logits [[1000, 0]]: yours [NaN, 0], the reference [1, 0] (first differs at [0])`
 * - `leavesInputsAlone`: after the call every argument holds what it held before, or the message
 *   names the argument that was written into and where.
 *
 * The specific checks of a kata (its feedback.ts) run first and name the slip in the lecture's
 * words; these laws catch what no specific check foresaw, so their message shows the evidence:
 * the input, both outputs and the argument that was varied.
 */
import fc from 'fast-check'
import { NotImplementedYet } from './kata.ts'

/** How many times the laws' runs are multiplied (`LAW_RUNS_SCALE=100` to hunt for flakes). */
export const lawRunsScale = (): number => {
  const raw = process.env.LAW_RUNS_SCALE
  if (raw === undefined || raw === '') return 1
  const scale = Number(raw)
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`LAW_RUNS_SCALE must be a positive number, got '${raw}'`)
  return scale
}

/** How close two numbers must be: |yours - reference| <= absolute + relative * |reference|. */
export interface Tolerance {
  readonly relative: number
  readonly absolute: number
}
export const DEFAULT_TOLERANCE: Tolerance = { relative: 1e-9, absolute: 1e-12 }

export interface ReferenceOptions<A extends readonly unknown[]> {
  /** The name of each argument, in order, as the function's signature names it. */
  readonly argNames: { readonly [K in keyof A]: string }
  readonly tolerance?: Partial<Tolerance>
  /** Runs at scale 1 (default 40); multiplied by LAW_RUNS_SCALE. */
  readonly numRuns?: number
  /** What of an output is compared (default: all of it); for outputs that hold functions, say. */
  readonly view?: (output: unknown, args: Readonly<A>) => unknown
  /** A fixed seed for fast-check (default: a fresh one each run, printed on failure). */
  readonly seed?: number
}

/** What a call did: returned a value, or threw. */
type Outcome = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'threw'; readonly error: unknown }

const attempt = (f: () => unknown): Outcome => {
  try {
    return { kind: 'value', value: f() }
  } catch (error) {
    return { kind: 'threw', error }
  }
}

const isTypedArray = (x: unknown): x is Float64Array | Float32Array | Int32Array | Uint8Array =>
  ArrayBuffer.isView(x) && !(x instanceof DataView)

/** A deep copy of plain data: arrays, typed arrays, plain objects, Maps and Sets; functions shared. */
export const deepCopy = <T>(x: T): T => {
  if (x === null || typeof x !== 'object') return x
  if (isTypedArray(x)) return x.slice() as T
  if (Array.isArray(x)) return x.map(deepCopy) as T
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, deepCopy(v)])) as T
  if (x instanceof Set) return new Set([...x].map(deepCopy)) as T
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, deepCopy(v)])) as T
}

const sameNumber = (a: number, b: number, tol: Tolerance): boolean => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b
  // +0 and -0 are one number here: the lecture's zero has no sign
  return Math.abs(a - b) <= tol.absolute + tol.relative * Math.abs(b)
}

/** Where two values first differ ('' for the whole value, '.mean', '[3]', ...), or undefined if they agree. */
export const firstDifference = (yours: unknown, ref: unknown, tol: Tolerance, at = ''): string | undefined => {
  if (typeof ref === 'number') return typeof yours === 'number' && sameNumber(yours, ref, tol) ? undefined : at
  if (typeof ref === 'function') return typeof yours === 'function' ? undefined : at
  if (ref === null || typeof ref !== 'object') return Object.is(yours, ref) || yours === ref ? undefined : at
  if (yours === null || typeof yours !== 'object') return at
  if (isTypedArray(ref) || Array.isArray(ref)) {
    if (!(isTypedArray(yours) || Array.isArray(yours))) return at
    const r = ref as ArrayLike<unknown>
    const y = yours as ArrayLike<unknown>
    const n = Math.min(r.length, y.length)
    for (let i = 0; i < n; i++) {
      const d = firstDifference(y[i], r[i], tol, `${at}[${i}]`)
      if (d !== undefined) return d
    }
    return r.length === y.length ? undefined : `${at}.length`
  }
  if (ref instanceof Map || ref instanceof Set) {
    return firstDifference(
      [...(yours as Map<unknown, unknown>)].sort(),
      [...(ref as Map<unknown, unknown>)].sort(),
      tol,
      at,
    )
  }
  const rk = Object.keys(ref).filter((k) => (ref as Record<string, unknown>)[k] !== undefined)
  const yk = Object.keys(yours).filter((k) => (yours as Record<string, unknown>)[k] !== undefined)
  for (const k of rk) {
    const d = firstDifference(
      (yours as Record<string, unknown>)[k],
      (ref as Record<string, unknown>)[k],
      tol,
      `${at}.${k}`,
    )
    if (d !== undefined) return d
  }
  const extra = yk.find((k) => !rk.includes(k))
  return extra === undefined ? undefined : `${at}.${extra}`
}

const MAX_ITEMS = 12
const num = (x: number): string => {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x)
  return String(Number(x.toPrecision(5)))
}
const list = (xs: readonly string[]): string =>
  xs.length > MAX_ITEMS
    ? `[${xs.slice(0, MAX_ITEMS).join(', ')}, … ${xs.length - MAX_ITEMS} more]`
    : `[${xs.join(', ')}]`

const isTensor = (x: object): x is { shape: readonly number[]; data: ArrayLike<number> } =>
  'shape' in x && 'data' in x && Array.isArray(x.shape) && isTypedArray(x.data)

/** A value as a learner would write it: a tensor as nested rows, numbers to 5 digits, long lists cut. */
export const show = (x: unknown, depth = 0): string => {
  if (typeof x === 'number') return num(x)
  if (typeof x === 'string') return JSON.stringify(x)
  if (typeof x === 'function') return 'a function'
  if (x === undefined || x === null || typeof x !== 'object') return String(x)
  if (depth > 4) return '…'
  if (isTensor(x)) {
    const data = Array.from(x.data)
    if (x.shape.length === 2 && x.shape[0] > 1) {
      const [rows, cols] = x.shape
      return list(Array.from({ length: rows }, (_, i) => list(data.slice(i * cols, (i + 1) * cols).map(num))))
    }
    const body = list(data.map(num))
    return x.shape.length === 2 ? `[${body}]` : body
  }
  if (isTypedArray(x) || Array.isArray(x)) return list(Array.from(x as ArrayLike<unknown>, (v) => show(v, depth + 1)))
  if (x instanceof Map) return `Map ${list([...x].map(([k, v]) => `${show(k)} → ${show(v, depth + 1)}`))}`
  if (x instanceof Set) return `Set ${list([...x].map((v) => show(v, depth + 1)))}`
  const entries = Object.entries(x).filter(([, v]) => v !== undefined)
  return `{ ${entries.map(([k, v]) => `${k}: ${show(v, depth + 1)}`).join(', ')} }`
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]

const describeOutcome = (o: Outcome): string => (o.kind === 'value' ? show(o.value) : `throws "${errorText(o.error)}"`)

/** A long argument (a whole model, say) cut to its start: the line must stay readable. */
const brief = (text: string): string => (text.length > 240 ? `${text.slice(0, 200)} …` : text)

/** The arguments as a phrase: `logits [[1000, 0]] and targets [0]`. */
export const describeArgs = (names: readonly string[], args: readonly unknown[]): string => {
  const parts = names.map((n, i) => (args[i] === undefined ? `${n} left out` : `${n} ${brief(show(args[i]))}`))
  return parts.length <= 1 ? (parts[0] ?? 'no arguments') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

/**
 * Compares two calls on the same arguments; the one-line disagreement, or undefined if they agree.
 * A stub's NotImplementedYet is thrown on, so the learner sees "not implemented yet", not a law.
 */
export const disagreement = <A extends readonly unknown[]>(
  name: string,
  yours: (...args: A) => unknown,
  reference: (...args: A) => unknown,
  args: Readonly<A>,
  options: ReferenceOptions<A>,
): string | undefined => {
  const tol = { ...DEFAULT_TOLERANCE, ...options.tolerance }
  const view = options.view ?? ((x: unknown) => x)
  const r = attempt(() => view(reference(...deepCopy(args)), args))
  const y = attempt(() => view(yours(...deepCopy(args)), args))
  if (y.kind === 'threw' && y.error instanceof NotImplementedYet) throw y.error
  const where = `${name}: for ${describeArgs(options.argNames as readonly string[], args)}`
  if (r.kind === 'threw' && y.kind === 'threw') return undefined
  if (r.kind === 'threw')
    return `${where}: yours ${describeOutcome(y)}, the reference refuses it (${errorText(r.error)})`
  if (y.kind === 'threw') return `${where}: yours ${describeOutcome(y)}, the reference ${describeOutcome(r)}`
  const d = firstDifference(y.value, r.value, tol)
  if (d === undefined) return undefined
  const at = d === '' ? '' : ` (first differs at ${d})`
  return `${where}: yours ${describeOutcome(y)}, the reference ${describeOutcome(r)}${at}`
}

/** The error a failed law throws: its message is the one line, with no stack worth reading. */
export class LawFailure extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LawFailure'
    this.stack = `${this.name}: ${message}`
  }
}

/**
 * The learner's function agrees with the reference on every input `args` draws (the same inputs,
 * a fresh copy for each call), or throws a LawFailure with the smallest disagreeing input found.
 */
export const agreesWithReference = <A extends readonly unknown[]>(
  name: string,
  yours: (...args: A) => unknown,
  reference: (...args: A) => unknown,
  args: fc.Arbitrary<Readonly<A>>,
  options: ReferenceOptions<A>,
): void => {
  const numRuns = Math.max(1, Math.round((options.numRuns ?? 40) * lawRunsScale()))
  const result = fc.check(
    fc.property(args, (a) => disagreement(name, yours, reference, a, options) === undefined),
    { numRuns, seed: options.seed },
  )
  if (!result.failed) return
  if (result.errorInstance instanceof NotImplementedYet) throw result.errorInstance
  const smallest = result.counterexample?.[0]
  const line =
    smallest === undefined
      ? `${name}: ${errorText(result.errorInstance)}`
      : (disagreement(name, yours, reference, smallest, options) ??
        `${name}: disagrees on some runs only (is it random?)`)
  throw new LawFailure(`${line} [seed ${result.seed}]`)
}

/** Where `after` differs from `before` (a copy taken before the call), exactly, or undefined. */
const changedAt = (before: unknown, after: unknown): string | undefined =>
  firstDifference(after, before, { relative: 0, absolute: 0 })

/**
 * The function leaves every argument as it found it: deep copies taken before the call are
 * compared exactly with the arguments after it (whether it returned or threw).
 */
export const leavesInputsAlone = <A extends readonly unknown[]>(
  name: string,
  fn: (...args: A) => unknown,
  args: fc.Arbitrary<Readonly<A>>,
  options: Pick<ReferenceOptions<A>, 'argNames' | 'numRuns' | 'seed'>,
): void => {
  const numRuns = Math.max(1, Math.round((options.numRuns ?? 20) * lawRunsScale()))
  const names = options.argNames as readonly string[]
  let message: string | undefined
  const result = fc.check(
    fc.property(args, (a) => {
      const before = deepCopy(a)
      const out = attempt(() => fn(...a))
      if (out.kind === 'threw' && out.error instanceof NotImplementedYet) throw out.error
      for (let i = 0; i < a.length; i++) {
        const at = changedAt(before[i], a[i])
        if (at !== undefined) {
          message =
            `${name} changed its argument \`${names[i] ?? `#${i + 1}`}\` in place` +
            `${at === '' ? '' : ` (at ${names[i]}${at}: ${show(pick(before[i], at))} became ${show(pick(a[i], at))})`}` +
            `: compute into a new array or tensor and return that, leaving what the caller passed unchanged`
          return false
        }
      }
      return true
    }),
    { numRuns, seed: options.seed, endOnFailure: true },
  )
  if (!result.failed) return
  if (result.errorInstance instanceof NotImplementedYet) throw result.errorInstance
  throw new LawFailure(`${message ?? `${name}: ${errorText(result.errorInstance)}`} [seed ${result.seed}]`)
}

/** The value at a path `firstDifference` returned (`.data[3]`, `[0].mean`). */
const pick = (x: unknown, path: string): unknown => {
  let v: unknown = x
  for (const [, key, index] of path.matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== 'object') return undefined
    v = index !== undefined ? (v as ArrayLike<unknown>)[Number(index)] : (v as Record<string, unknown>)[key]
  }
  return v
}

/** How the two laws' checks are named after their function: verify:katas counts them by these. */
export const REFERENCE_LAW = 'agrees with the reference answer on random inputs'
export const INPUTS_LAW = 'leaves its arguments unchanged'

/** The functions whose reference law and whose inputs-unchanged law are among these check names (a test's own name or its full name, `describe > it`). */
export const lawsAmong = (checkNames: readonly string[]): { reference: string[]; inputs: string[] } => {
  const named = (law: string) =>
    checkNames.flatMap((n) => {
      const m = new RegExp(`(?:^|> )([A-Za-z_$][\\w$]*) ${law}\\b`).exec(n)
      return m === null ? [] : [m[1]]
    })
  return { reference: named(REFERENCE_LAW), inputs: named(INPUTS_LAW) }
}

/** One graded function's laws, as a kata's test file declares them (see `describeLaws`). */
export interface Law {
  readonly name: string
  readonly argNames: readonly string[]
  /** Registers the law's checks with the test runner's `it`. */
  readonly register: (it: (name: string, body: () => void) => void) => void
}

/**
 * The reference law and, when any argument is an object (a tensor, an array, a model, options),
 * the inputs-unchanged law of one graded function. `args` must vary every argument over its whole
 * valid range; `argNames` names them as the signature does.
 */
export const law = <A extends readonly unknown[]>(
  name: string,
  yours: (...args: A) => unknown,
  reference: (...args: A) => unknown,
  args: fc.Arbitrary<Readonly<A>>,
  argNames: { readonly [K in keyof A]: string },
  extra: Omit<ReferenceOptions<A>, 'argNames'> = {},
): Law => {
  const options: ReferenceOptions<A> = { ...extra, argNames }
  const names = argNames as readonly string[]
  return {
    name,
    argNames: names,
    register: (it) => {
      it(`${name} ${REFERENCE_LAW} (${names.join(', ')} varied over their whole range)`, () =>
        agreesWithReference(name, yours, reference, args, options))
      const takesObjects = fc
        .sample(args, { numRuns: 5, seed: 1 })
        .some((a) => a.some((x) => typeof x === 'object' && x !== null))
      if (takesObjects)
        it(`${name} ${INPUTS_LAW} (${names.join(', ')})`, () => leavesInputsAlone(name, yours, args, options))
    },
  }
}

/** Registers every law of a kata, in order. */
export const describeLaws = (laws: readonly Law[], it: (name: string, body: () => void) => void): void => {
  for (const l of laws) l.register(it)
}
