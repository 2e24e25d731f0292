/**
 * The learner's katas as the kata tools see them: each kata's checks run against the learner's
 * own file, its first type error, its functions still stubs, and which kata the learner is on.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { exportedValues, listKatas, stubbedFunctions } from './catalogue.ts'
import { parseHints } from './hints.ts'
import { countChecks, emptyRun, type RunOptions, type RunResult, runChecks } from './runner.ts'
import { type KataRun, scoreKata } from './score.ts'
import { formatTypeError, kataTypeChecker, type KataTypeError } from './typecheck.ts'

/** The checkout the kata tools work on: this one (KATA_TOOLS_ROOT points them at another, as their tests do). */
export const projectRoot = process.env.KATA_TOOLS_ROOT ?? resolve(import.meta.dirname, '..', '..')

/** Why a kata's own file is missing, or undefined when it is there: every kata tool then exits 3. */
export const missingKataFile = (root: string, kata: string): string | undefined =>
  existsSync(join(root, 'katas', kata, 'kata.ts'))
    ? undefined
    : `katas/${kata}/kata.ts does not exist (\`git checkout -- katas/${kata}/kata.ts\` brings back its stub)`

/** The functions the learner writes in a kata, in the kata's order: its hints' sections, else its exports. */
export const kataFunctions = (root: string, kata: string): string[] => {
  const hints = join(root, 'katas', kata, 'hints.md')
  if (existsSync(hints)) {
    const parsed = parseHints(readFileSync(hints, 'utf8'))
    if ('functions' in parsed) return parsed.functions.map((f) => f.fn)
  }
  const file = join(root, 'katas', kata, 'kata.ts')
  return existsSync(file) ? exportedValues(readFileSync(file, 'utf8')) : []
}

/** The learner's functions of a kata still stubs, when its kata.ts is there. */
export const stubbedIn = (root: string, kata: string): string[] | undefined => {
  const file = join(root, 'katas', kata, 'kata.ts')
  return existsSync(file) ? stubbedFunctions(readFileSync(file, 'utf8')) : undefined
}

/** One kata's run against the learner's file, with what the type checker and the stubs say. */
export const learnerRun = (
  root: string,
  kata: string,
  result: RunResult,
  typeError: KataTypeError | undefined,
  extra: Partial<KataRun> = {},
): KataRun => {
  const stubbed = stubbedIn(root, kata)
  return {
    kata,
    ...result,
    ...(stubbed === undefined ? {} : { stubbed }),
    ...(typeError === undefined ? {} : { typeError: formatTypeError(typeError) }),
    ...extra,
  }
}

export interface LearnerRuns {
  readonly runs: readonly KataRun[]
  /** Katas stopped for making no progress: the process should exit soon after (a thread is stuck). */
  readonly stalled: readonly string[]
}

/** Runs the learner's katas: checks, type check, and the count of checks of a file that does not load. */
export const runLearnerKatas = async (katas: readonly string[], options: RunOptions = {}): Promise<LearnerRuns> => {
  const root = options.dir ?? projectRoot
  const { results, stalled } = await runChecks([{ project: 'learner', target: 'learner', katas }], options)
  const byKata = results.get('learner') ?? new Map<string, RunResult>()
  const types = existsSync(join(root, 'tsconfig.json'))
    ? kataTypeChecker(root)(katas)
    : new Map<string, KataTypeError>()
  const broken = katas.filter((k) => !stalled.includes(k) && (byKata.get(k)?.checks.length ?? 0) === 0)
  const counts = stalled.length === 0 ? await countChecks(broken, options) : new Map<string, number>()
  return {
    stalled,
    runs: katas.map((kata) =>
      learnerRun(root, kata, byKata.get(kata) ?? emptyRun, types.get(kata), {
        ...(counts.has(kata) ? { expectedChecks: counts.get(kata) } : {}),
        ...(stalled.includes(kata) ? { stalled: true } : {}),
      }),
    ),
  }
}

/**
 * The kata the learner is on: the first not done. The katas up to the first one with a stub left
 * are run (the ones after it cannot be done before it).
 */
export const currentKata = async (
  root: string = projectRoot,
  options: RunOptions = {},
): Promise<{ readonly kata: string | undefined; readonly runs: LearnerRuns }> => {
  const katas = listKatas(root)
  const firstStubbed = katas.findIndex((k) => (stubbedIn(root, k) ?? []).length > 0)
  const candidates = firstStubbed < 0 ? katas : katas.slice(0, firstStubbed + 1)
  const runs = await runLearnerKatas(candidates, { ...options, dir: root })
  return { kata: runs.runs.find((r) => scoreKata(r).status !== 'done')?.kata, runs }
}

/** Where the learner's kata.ts declares `fn`: "katas/NN-topic/kata.ts:line", if it does. */
export const declarationOf =
  (root: string, kata: string) =>
  (fn: string): string | undefined => {
    const file = join(root, 'katas', kata, 'kata.ts')
    if (!existsSync(file)) return undefined
    const lines = readFileSync(file, 'utf8').split('\n')
    const pattern = new RegExp(`^export\\s+(const|function|class)\\s+${fn}\\b`)
    const i = lines.findIndex((l) => pattern.test(l))
    return i < 0 ? undefined : `katas/${kata}/kata.ts:${i + 1}`
  }

/** The katas to move on to after `current`, in the order watch tries them: the ones after it, then the ones before. */
export const katasAfter = (katas: readonly string[], current: string): string[] => {
  const i = katas.indexOf(current)
  return [...katas.slice(i + 1), ...katas.slice(0, Math.max(0, i))]
}

/**
 * The kata to move on to once `current` is done: the first not done after it, else the first not
 * done before it (after the last kata, the first one left unfinished); undefined when every kata
 * is done. A kata with a stub left is not done without running it; the others up to it are run.
 */
export const nextUnfinished = async (
  current: string,
  root: string = projectRoot,
  run: (katas: readonly string[]) => Promise<LearnerRuns> = (katas) => runLearnerKatas(katas, { dir: root }),
): Promise<string | undefined> => {
  const order = katasAfter(listKatas(root), current)
  const stubbed = order.findIndex((k) => (stubbedIn(root, k) ?? []).length > 0)
  const toRun = stubbed < 0 ? order : order.slice(0, stubbed)
  const { runs } = toRun.length === 0 ? { runs: [] } : await run(toRun)
  return runs.find((r) => scoreKata(r).status !== 'done')?.kata ?? (stubbed < 0 ? undefined : order[stubbed])
}
