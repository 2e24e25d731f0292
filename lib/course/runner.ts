/**
 * The one programmatic vitest runner of the kata tools. grade, check and watch run the learner's
 * katas with it, verify:katas runs the stubs, the reference answers and every mutant with it,
 * report runs a kata's checks with it before drawing.
 *
 * Each target (the learner's files, the solutions, a mutant) is a vitest project with its own
 * `kataTarget` plugin (vitest.config.ts), and all of them run in one vitest process.
 */
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import type { TestModule, Vitest } from 'vitest/node'
import { kataOf } from './catalogue.ts'
import { errorTexts } from './errors.ts'
import type { CheckOutcome } from './score.ts'

const projectRoot = resolve(import.meta.dirname, '..', '..')

/** The checks of one kata run against one target, and errors that stopped a test file loading. */
export interface RunResult {
  readonly checks: readonly CheckOutcome[]
  readonly loadErrors: readonly string[]
}

export const emptyRun: RunResult = { checks: [], loadErrors: [] }

/** A set of katas run against one target: `learner`, `solutions`, `mutant:NN-topic/name`, `whole:NN-topic/name`. */
export interface Target {
  readonly project: string
  readonly target: string
  readonly katas: readonly string[]
}

export interface RunOptions {
  /** The checkout whose katas/ run; the project's own by default. */
  readonly dir?: string
  /** Stop and report the running katas as stalled after this long without a check starting or ending. */
  readonly stallSeconds?: number
  /** How long one asynchronous check may take. */
  readonly checkTimeoutSeconds?: number
  /** Reuse a worker for the next file of the same project (faster; modules of one target only). */
  readonly isolate?: boolean
  readonly maxWorkers?: number
}

export interface RunResults {
  /** Results by project name, then kata. */
  readonly results: ReadonlyMap<string, ReadonlyMap<string, RunResult>>
  /** Katas whose checks were running when the run was stopped for making no progress. */
  readonly stalled: readonly string[]
}

/** The outcome of every check of a finished test module, and why it did not load, if it did not. */
export const moduleResult = (module: TestModule): RunResult => ({
  checks: [...module.children.allTests()].map((test): CheckOutcome => {
    const r = test.result()
    const errors = r.errors ?? []
    const where = errors.map((e) => learnerFrame(String((e as { stack?: unknown }).stack ?? ''))).find((w) => w)
    return {
      name: test.fullName,
      state: r.state,
      messages: errors.flatMap(errorTexts),
      ...(where === undefined ? {} : { where }),
    }
  }),
  loadErrors: module.errors().flatMap(errorTexts),
})

/** The first stack frame in a learner's kata.ts (not its tests), as katas/NN-topic/kata.ts:line:column. */
export const learnerFrame = (stack: string): string | undefined => {
  const m = /(katas[\\/]\d\d-[a-z0-9-]+[\\/](?!kata\.test)[\w.-]+\.ts):(\d+):(\d+)/.exec(stack)
  return m === null ? undefined : `${m[1].replaceAll('\\', '/')}:${m[2]}:${m[3]}`
}

const merge = (a: RunResult, b: RunResult): RunResult => ({
  checks: [...a.checks, ...b.checks],
  loadErrors: [...a.loadErrors, ...b.loadErrors],
})

/** A vitest instance for these targets, with these reporters. */
export const createKataVitest = async (
  targets: readonly Target[],
  reporters: readonly object[],
  { dir = projectRoot, checkTimeoutSeconds = 60, isolate = true, maxWorkers = availableParallelism() }: RunOptions = {},
  watch = false,
): Promise<Vitest> => {
  const { createVitest } = await import('vitest/node')
  const { kataTarget } = await import('../../vitest.config.ts')
  const testTimeout = checkTimeoutSeconds * 1000
  return createVitest(
    'test',
    {
      config: false,
      root: dir,
      watch,
      reporters: reporters as never,
      passWithNoTests: true,
      // worker threads start faster than forked processes, and end with the process after a stall
      pool: 'threads',
      isolate,
      maxWorkers,
      testTimeout,
      projects: targets.map((t) => ({
        plugins: [kataTarget(t.target, dir)],
        test: { name: t.project, include: t.katas.map((k) => `katas/${k}/**/*.test.ts`), testTimeout, isolate },
      })),
    },
    // keep vitest's own key handling and screen out of a watch: the kata screen is ours
    watch ? { server: { watch: { ignored: ['**/reports/**', '**/node_modules/**', '**/.git/**'] } } } : {},
  )
}

/**
 * Runs the targets' checks once. When no check starts or ends for `stallSeconds` (learner code
 * stuck in a loop, which a test timeout cannot interrupt), the run is abandoned: the katas that
 * finished keep their results, the ones running are named in `stalled`, and the caller should exit
 * the process soon (the stuck thread ends with it).
 */
export const runChecks = async (targets: readonly Target[], options: RunOptions = {}): Promise<RunResults> => {
  const stallSeconds = options.stallSeconds ?? 90
  const results = new Map<string, Map<string, RunResult>>()
  const running = new Map<string, number>()
  let lastProgress = Date.now()
  const touch = () => {
    lastProgress = Date.now()
  }
  const reporter = {
    onTestModuleStart: (m: TestModule) => {
      touch()
      const kata = kataOf(m.moduleId)
      if (kata !== undefined) running.set(kata, (running.get(kata) ?? 0) + 1)
    },
    onTestCaseReady: touch,
    onTestCaseResult: touch,
    onTestModuleEnd: (m: TestModule) => {
      touch()
      const kata = kataOf(m.moduleId)
      if (kata === undefined) return
      running.set(kata, (running.get(kata) ?? 1) - 1)
      const byKata = results.get(m.project.name) ?? new Map<string, RunResult>()
      results.set(m.project.name, byKata)
      byKata.set(kata, merge(byKata.get(kata) ?? emptyRun, moduleResult(m)))
    },
  }
  const vitest = await createKataVitest(targets, [reporter], options)
  // the clock starts with the run, not with vitest's own start-up
  touch()
  let watchdog: NodeJS.Timeout | undefined
  const stalled = new Promise<readonly string[]>((done) => {
    watchdog = setInterval(
      () => {
        if (Date.now() - lastProgress <= stallSeconds * 1000) return
        done([...running].filter(([, n]) => n > 0).map(([k]) => k))
      },
      Math.min(1000, stallSeconds * 250),
    )
  })
  try {
    const outcome = await Promise.race([vitest.start().then(() => undefined), stalled])
    if (outcome !== undefined) {
      // after a stall, closing would wait for the stuck thread: the caller exits instead
      const all = [...new Set(targets.flatMap((t) => t.katas))]
      const finished = new Set([...results.values()].flatMap((m) => [...m.keys()]))
      return { results, stalled: outcome.length > 0 ? outcome : all.filter((k) => !finished.has(k)) }
    }
  } catch (e) {
    await vitest.close()
    throw e
  } finally {
    clearInterval(watchdog)
  }
  await vitest.close()
  return { results, stalled: [] }
}

/** How many checks each kata's test files declare, read without running them (for a kata whose file does not load). */
export const countChecks = async (katas: readonly string[], options: RunOptions = {}): Promise<Map<string, number>> => {
  const counts = new Map<string, number>()
  if (katas.length === 0) return counts
  const vitest = await createKataVitest([{ project: 'count', target: 'solutions', katas }], [{}], options)
  try {
    const { testModules } = await vitest.collect(
      katas.map((k) => `katas/${k}/`),
      { staticParse: true },
    )
    for (const module of testModules) {
      const kata = kataOf(module.moduleId)
      if (kata !== undefined) counts.set(kata, (counts.get(kata) ?? 0) + [...module.children.allTests()].length)
    }
  } catch {
    // the count is a nicety: without it the kata shows 0 checks
  } finally {
    await vitest.close()
  }
  return counts
}

/**
 * Runs one kata's checks against the learner's file in vitest's watch mode: `onRun` gets the result
 * of the first run and of every re-run vitest starts when a file the tests import is saved.
 */
export const watchChecks = async (
  kata: string,
  { onRunStart, onRun }: { onRunStart?: () => void; onRun: (run: RunResult) => void | Promise<void> },
  options: RunOptions = {},
): Promise<Vitest> => {
  const reporter = {
    onTestRunStart: () => onRunStart?.(),
    onTestRunEnd: (modules: readonly TestModule[], unhandled: readonly { message?: string }[]) => {
      const run = modules
        .filter((m) => kataOf(m.moduleId) === kata)
        .map(moduleResult)
        .reduce(merge, emptyRun)
      return onRun(
        unhandled.length === 0
          ? run
          : { ...run, loadErrors: [...run.loadErrors, ...unhandled.map((e) => e.message ?? String(e))] },
      )
    },
  }
  const vitest = await createKataVitest(
    [{ project: 'learner', target: 'learner', katas: [kata] }],
    [reporter],
    { ...options, isolate: false },
    true,
  )
  await vitest.start()
  return vitest
}
