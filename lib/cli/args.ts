/**
 * The flags of `npm start`, parsed as a pure function: argv in, options or a usage error out.
 */
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import type { SplitShuffle } from '../model/data.ts'
import { experimentNames, type ExperimentName } from '../model/experiments.ts'

export const DEFAULT_STEPS = 10_000
export const LECTURE_STEPS = 200_000
export const DEFAULT_SEED = 42
export const DEFAULT_DATA = 'data/names.txt'
export const DEFAULT_OUT = 'reports'
/** The most steps a run may ask for: its History keeps a few numbers a step (about 64 bytes). */
export const MAX_STEPS = 10_000_000
export const MAX_WORKERS = 64
/** The largest seed: seeds are 32-bit, so every seed in 0..MAX_SEED gives a run of its own. */
export const MAX_SEED = 2 ** 32 - 1

export interface StartOptions {
  readonly data: string
  readonly steps: number
  readonly full: boolean
  readonly seed: number
  /** How the names are shuffled before the 80/10/10 cut (--python-split: as Python does). */
  readonly split: SplitShuffle
  readonly out: string
  readonly only: readonly ExperimentName[]
  /** Worker threads running experiments side by side; undefined: one per core. */
  readonly workers?: number
}

export const startUsage = `usage: npm start -- [options]

Trains the lecture's experiments and writes results.json and the HTML reports.

  --data FILE    a names file, one name a line (default ${DEFAULT_DATA}, the built-in corpus;
                 makemore's names.txt reproduces the lecture's figures)
  --steps N      training steps per experiment, 1 to ${MAX_STEPS.toLocaleString('en')} (default ${DEFAULT_STEPS.toLocaleString('en')})
  --full         the lecture's ${LECTURE_STEPS.toLocaleString('en')} steps (the deep nets stay at 1,000, as in the lecture)
  --seed N       seed of the split, the initialisation and the batches, a whole number from 0 to
                 ${MAX_SEED} (2^32 - 1; default ${DEFAULT_SEED})
  --python-split shuffle the names for the split as Python's random.seed(N); random.shuffle(words)
                 does: with makemore's names.txt and seed 42, the lecture's own train/val/test
  --out DIR      where results.json and the reports go (default ${DEFAULT_OUT}/)
  --only A,B     run only these experiments: ${experimentNames.join(', ')}
  --workers N    worker threads, 1 to ${MAX_WORKERS} (default: one per core)
  --help         this text`

export type Parsed = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: StartOptions }

/** A value as a message quotes it: at most 40 characters. */
const quote = (value: string): string => `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`

const wholeNumber = (flag: string, value: string | undefined, min: number, max: number): Either<string, number> => {
  if (value === undefined || value.startsWith('--')) return E.left(`${flag} needs a number`)
  const range = `from ${min} to ${max}`
  if (!/^\d+$/.test(value)) return E.left(`${flag} must be a whole number ${range}, got ${quote(value)}`)
  const n = Number(value)
  return n < min || n > max ? E.left(`${flag} must be ${range}, got ${quote(value)}`) : E.right(n)
}

/** The experiments `--only A,B` names, in the lecture's order; Left names the unknown ones. */
const parseOnly = (v: string): Either<string, ExperimentName[]> => {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  const unknown = names.filter((n) => !experimentNames.includes(n as ExperimentName))
  if (unknown.length > 0 || names.length === 0)
    return E.left(
      `--only: unknown experiment ${unknown.map((u) => `'${u}'`).join(', ') || "''"}; choose from ${experimentNames.join(', ')}`,
    )
  return E.right(experimentNames.filter((n) => names.includes(n)))
}

/** Parses `npm start` flags; Left is the message to print above the usage. */
export const parseStartArgs = (argv: readonly string[]): Either<string, Parsed> => {
  let data = DEFAULT_DATA,
    out = DEFAULT_OUT,
    seed = DEFAULT_SEED
  let steps: number | undefined,
    full = false,
    workers: number | undefined,
    split: SplitShuffle = 'seeded'
  let only: ExperimentName[] = [...experimentNames]
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[i + 1]
    const takeValue = (): Either<string, string> => {
      if (value === undefined || value.startsWith('--')) return E.left(`${flag} needs a value`)
      i++
      return E.right(value)
    }
    const takeNumber = (min: number, max: number): Either<string, number> => {
      const r = wholeNumber(flag, value, min, max)
      if (E.isRight(r)) i++
      return r
    }
    switch (flag) {
      case '--help':
      case '-h':
        return E.right({ kind: 'help' })
      case '--data': {
        const v = takeValue()
        if (E.isLeft(v)) return v
        data = v.right
        break
      }
      case '--out': {
        const v = takeValue()
        if (E.isLeft(v)) return v
        out = v.right
        break
      }
      case '--steps': {
        const v = takeNumber(1, MAX_STEPS)
        if (E.isLeft(v)) return v
        steps = v.right
        break
      }
      case '--seed': {
        const v = takeNumber(0, MAX_SEED)
        if (E.isLeft(v)) return v
        seed = v.right
        break
      }
      case '--workers': {
        const v = takeNumber(1, MAX_WORKERS)
        if (E.isLeft(v)) return v
        workers = v.right
        break
      }
      case '--full':
        full = true
        break
      case '--python-split':
        split = 'python'
        break
      case '--only': {
        const v = E.chain(parseOnly)(takeValue())
        if (E.isLeft(v)) return v
        only = v.right
        break
      }
      default:
        return E.left(`unknown option '${flag}'`)
    }
  }
  if (full && steps !== undefined) return E.left('use --steps N or --full, not both')
  return E.right({
    kind: 'run',
    options: { data, out, seed, split, only, workers, full, steps: full ? LECTURE_STEPS : (steps ?? DEFAULT_STEPS) },
  })
}
