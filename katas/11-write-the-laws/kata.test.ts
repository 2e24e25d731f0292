import { describe, expect, it } from 'vitest'
import { batchNormTrainLaws, kaimingStdLaws, softmaxLaws, tanhLocalGradientLaws } from './kata.ts'
import type { Law } from './types.ts'
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
