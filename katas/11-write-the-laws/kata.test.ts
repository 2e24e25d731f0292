import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { batchNormTrainLaws, kaimingStdLaws, softmaxLaws, tanhLocalGradientLaws } from './kata.ts'
import type { KaimingStd, Law, Softmax, TanhLocalGradient } from './types.ts'
import * as reference from '../../solutions/11-write-the-laws/kata.ts'
import * as R from '../../lib/course/reference.ts'
import { map, type Tensor } from '../../lib/engine/tensor.ts'
import { bank, references, type Broken } from './bank.ts'
import * as grade from './grading.ts'

/** One function's laws, graded: they hold on the reference, each can fail, and together they reject the whole bank. */
const gradeLaws = <F extends (...args: never[]) => unknown>(
  section: string,
  fn: string,
  laws: () => ReadonlyArray<Law<F>>,
  reference: F,
  broken: ReadonlyArray<Broken<F>>,
  nonsense: ReadonlyArray<{ readonly what: string; readonly f: F }>,
) =>
  describe(section, () => {
    it(`${fn}: every law holds for the reference ${fn}, each in under 2 s`, () => {
      const mine = laws()
      expect(mine.length, `write at least one law about ${fn} (the README has a worked example)`).toBeGreaterThan(0)
      for (const law of mine) {
        expect(
          law.name.trim(),
          `every ${fn} law needs a name that says what it claims: the messages here and the grading page quote it`,
        ).not.toBe('')
        const run = grade.runLaw(law, reference)
        expect(
          run.holds,
          `law "${law.name}" fails on the reference ${fn}, which is right: ${run.failure}. A law must hold for every correct ${fn} (compare floating-point numbers with a tolerance, not ===, unless the value is exact)`,
        ).toBe(true)
        expect(
          run.ms,
          `law "${law.name}" took ${Math.round(run.ms)} ms for ${grade.LAW_RUNS} runs, more than 2 s: generate smaller tensors`,
        ).toBeLessThan(grade.LAW_BUDGET_MS)
      }
    })
    it(`${fn}: every law can fail: it calls ${fn} on the inputs fast-check generates and checks its answer`, () => {
      for (const law of laws()) {
        const why = grade.whyCannotFail(law, reference, nonsense, fn)
        expect(why, why).toBeUndefined()
      }
    })
    for (const b of broken) {
      it(`${fn}: your laws reject a broken ${fn}: ${b.name}`, () => {
        const caught = grade.lawsThatReject(laws(), b.f)
        expect(
          caught.length,
          `your ${fn} laws all pass on a broken ${fn}: ${b.what}. Write a law that fails on it`,
        ).toBeGreaterThan(0)
      })
    }
  })

gradeLaws('1. softmax', 'softmax', softmaxLaws, references.softmax, bank.softmax, grade.nonsenseTensorFunctions())
gradeLaws(
  "2. tanh's local gradient",
  'tanhLocalGradient',
  tanhLocalGradientLaws,
  references.tanhLocalGradient,
  bank.tanhLocalGradient,
  grade.nonsenseTensorFunctions(),
)
gradeLaws(
  "3. BatchNorm's training forward",
  'batchNormTrain',
  batchNormTrainLaws,
  references.batchNormTrain,
  bank.batchNormTrain,
  grade.nonsenseTensorFunctions(),
)
gradeLaws(
  "4. Kaiming's std",
  'kaimingStd',
  kaimingStdLaws,
  references.kaimingStd,
  bank.kaimingStd,
  grade.nonsenseNumberFunctions(),
)

/**
 * The reference law of a list of laws: on every implementation drawn (right ones written another
 * way, ones whose zeros come out as −0 or whose numbers are off by rounding; the bank's broken
 * ones, nonsense, and right ones with every output scaled by 1 ± 5% to 100%), your laws give the
 * verdict the reference laws give: they accept every right one and reject every wrong one.
 */
describe('5. the reference laws: your laws accept what the reference laws accept and reject what they reject', () => {
  interface Impl<F> {
    readonly what: string
    readonly f: F
  }
  // a law runs with a fixed seed, so a verdict on the same implementation is the same: worked out once
  const verdict = <F extends (...args: never[]) => unknown>(laws: () => ReadonlyArray<Law<F>>) => {
    const known = new WeakMap<F, string>()
    return (impl: Impl<F>): string => {
      const seen = known.get(impl.f)
      if (seen !== undefined) return seen
      const v = laws().every((law) => grade.runLaw(law, impl.f).holds) ? 'accepts it' : 'rejects it'
      known.set(impl.f, v)
      return v
    }
  }
  /** Every number of an output (a tensor's entries, or the number itself) through g. */
  const through = <F extends (...args: never[]) => unknown>(f: F, g: (x: number, k: number) => number): F =>
    ((...args: never[]) => {
      const out = f(...args) as Tensor | number
      return typeof out === 'number' ? g(out, 0) : { shape: out.shape, data: out.data.map(g) }
    }) as F
  const implementations = <F extends (...args: never[]) => unknown>(
    fn: string,
    reference: F,
    alternative: F,
    broken: ReadonlyArray<Broken<F>>,
    nonsense: ReadonlyArray<{ readonly what: string; readonly f: F }>,
  ): fc.Arbitrary<readonly [Impl<F>]> =>
    fc
      .oneof(
        fc.constant({ what: `the reference ${fn}`, f: reference }),
        // the right ones written differently most often: a law too strict for them shows within a few runs
        { weight: 3, arbitrary: fc.constant({ what: `a right ${fn} written another way`, f: alternative }) },
        {
          weight: 3,
          arbitrary: fc.constant({
            what: `the reference ${fn} with its zeros as −0`,
            f: through(reference, (x) => (x === 0 ? -0 : x)),
          }),
        },
        fc.constantFrom(...broken.map((b) => ({ what: `a broken ${fn}: ${b.name}`, f: b.f }))),
        fc.constantFrom(...nonsense.map((n) => ({ what: `a ${fn} that ${n.what}`, f: n.f }))),
        fc.tuple(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.constantFrom(1, -1)).map(([d, sign]) => ({
          what: `the reference ${fn} with every output × ${1 + sign * d}`,
          f: through(reference, (x) => x * (1 + sign * d)),
        })),
      )
      .map((impl) => [impl] as const)
  const laws = [
    R.law(
      'softmaxLaws',
      verdict(softmaxLaws),
      verdict(reference.softmaxLaws),
      implementations(
        'softmax',
        references.softmax,
        ((x: Tensor) => {
          const [n, v] = x.shape
          const out = new Float64Array(n * v)
          for (let i = 0; i < n; i++) {
            const row = x.data.subarray(i * v, (i + 1) * v)
            const m = Math.max(...row)
            const lse = m + Math.log(row.reduce((s, a) => s + Math.exp(a - m), 0))
            for (let j = 0; j < v; j++) out[i * v + j] = Math.exp(row[j] - lse)
          }
          return { shape: [n, v], data: out }
        }) as Softmax,
        bank.softmax,
        grade.nonsenseTensorFunctions(),
      ),
      ['implementation'],
      { numRuns: 30 },
    ),
    R.law(
      'tanhLocalGradientLaws',
      verdict(tanhLocalGradientLaws),
      verdict(reference.tanhLocalGradientLaws),
      implementations(
        'tanhLocalGradient',
        references.tanhLocalGradient,
        ((t: Tensor) => map(t, (v) => (1 - v) * (1 + v))) as TanhLocalGradient,
        bank.tanhLocalGradient,
        grade.nonsenseTensorFunctions(),
      ),
      ['implementation'],
      { numRuns: 30 },
    ),
    R.law(
      'batchNormTrainLaws',
      verdict(batchNormTrainLaws),
      verdict(reference.batchNormTrainLaws),
      implementations(
        'batchNormTrain',
        references.batchNormTrain,
        through(references.batchNormTrain, (x, k) => x * (1 + 1e-13 * Math.sin(k))),
        bank.batchNormTrain,
        grade.nonsenseTensorFunctions(),
      ),
      ['implementation'],
      { numRuns: 30 },
    ),
    R.law(
      'kaimingStdLaws',
      verdict(kaimingStdLaws),
      verdict(reference.kaimingStdLaws),
      implementations(
        'kaimingStd',
        references.kaimingStd,
        ((fanIn: number, gain: number) => gain * fanIn ** -0.5) as KaimingStd,
        bank.kaimingStd,
        grade.nonsenseNumberFunctions(),
      ),
      ['implementation'],
      { numRuns: 30 },
    ),
  ]
  R.describeLaws(laws, it)
})
