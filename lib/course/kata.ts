/**
 * What kata stubs, solutions and mutants share.
 */
import { kataNumber } from '../report/parts/table.ts'

/** Thrown by a kata stub the learner has not written yet. */
export class NotImplementedYet extends Error {
  constructor(
    readonly kata: string,
    readonly fn: string,
  ) {
    super(
      `not implemented yet: ${kata} ${fn} (open katas/${kata}/README.md, or run npm run hint -- ${kataNumber(kata)})`,
    )
    this.name = 'NotImplementedYet'
  }
}

/** The body of every stub: `export const f = (x: number): number => notImplemented('01-initial-loss', 'f')`. */
export const notImplemented = (kata: string, fn: string): never => {
  throw new NotImplementedYet(kata, fn)
}

/**
 * A classic mistake kept as a mutant: solutions/NN-topic/mutants/NAME.ts re-exports the solution,
 * overrides one function with the mistake, and exports `mistake` describing it. The kata's tests
 * must fail on it, and one failure message must contain `message` (so the learner is told, in the
 * lecture's terms, what went wrong).
 */
export interface Mistake {
  /** The mistake in the lecture's words, e.g. "tanh's local gradient taken as 1 - t instead of 1 - t²". */
  readonly lecture: string
  /** A substring of the failure message the learner sees for it. */
  readonly message: string
}
