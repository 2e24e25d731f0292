/**
 * The kata screen as a vitest reporter: what plain `npx vitest` and `npx vitest --watch` print
 * when they run the kata checks against the learner's katas/NN-topic/kata.ts (vitest.config.ts
 * sets it for the learner's target). One kata gives the screen of `npm run check`: its progress,
 * the functions still to write, the next one and its first failing check, or its type error (the
 * learner's type check runs on a thread of its own beside the checks). Several katas give a line
 * each, then the screen of the first one not done. `npx vitest --reporter=default` shows vitest's
 * own output instead.
 */
import type { Reporter, TestModule, TestSpecification, Vitest } from 'vitest/node'
import { kataOf } from './catalogue.ts'
import { emptyRun, moduleResult, type RunResult } from './runner.ts'
import { type KataRun, scoreKata } from './score.ts'
import { kataScreen } from './screen.ts'
import { declarationOf, kataFunctions, learnerRun } from './session.ts'
import { type KataTypeError, kataTypeCheckerThread } from './typecheck.ts'

const merge = (a: RunResult, b: RunResult): RunResult => ({
  checks: [...a.checks, ...b.checks],
  loadErrors: [...a.loadErrors, ...b.loadErrors],
})

/** The one line of a kata in a run of several. */
const kataLine = (run: KataRun, width: number): string => {
  const score = scoreKata(run)
  return `  ${run.kata.padEnd(width)}  ${String(score.passed).padStart(3)}/${String(score.total).padEnd(3)}  ${score.status}`
}

/**
 * What the reporter prints after a run: the katas' lines when there are several, then the screen
 * of the first kata not done (or of the last, when all are).
 */
export const kataReport = (root: string, runs: readonly KataRun[], watching: boolean): string => {
  if (runs.length === 0) return 'No kata checks ran.'
  const lines: string[] = []
  if (runs.length > 1) {
    const width = Math.max(...runs.map((r) => r.kata.length))
    lines.push(...runs.map((r) => kataLine(r, width)), '')
  }
  const shown = runs.find((r) => scoreKata(r).status !== 'done') ?? runs[runs.length - 1]
  const katas = runs.map((r) => r.kata)
  const next = runs.length === 1 ? undefined : katas[katas.indexOf(shown.kata) + 1]
  lines.push(
    kataScreen({
      run: shown,
      functions: kataFunctions(root, shown.kata),
      declared: declarationOf(root, shown.kata),
      ...(next === undefined ? {} : { nextKata: next }),
      ...(watching ? { keys: 'vitest is watching: save a file to run again; h for its keys, q to quit' } : {}),
    }).text,
  )
  return lines.join('\n')
}

export default class KataReporter implements Reporter {
  private vitest: Vitest | undefined
  private checker: ReturnType<typeof kataTypeCheckerThread> | undefined
  private typeErrors = new Map<string, Promise<KataTypeError | undefined>>()

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunStart(specifications: readonly TestSpecification[]): void {
    const root = this.vitest?.config.root ?? process.cwd()
    this.checker ??= kataTypeCheckerThread(root)
    const checker = this.checker
    this.typeErrors = new Map()
    for (const kata of new Set(specifications.map((s) => kataOf(s.moduleId)))) {
      if (kata === undefined) continue
      this.typeErrors.set(
        kata,
        checker.check(kata).catch(() => undefined),
      )
    }
  }

  onWatcherRerun(): void {
    if (process.stdout.isTTY) process.stdout.write('\u001b[2J\u001b[3J\u001b[H')
  }

  async onTestRunEnd(modules: readonly TestModule[], unhandled: readonly { message?: string }[]): Promise<void> {
    const root = this.vitest?.config.root ?? process.cwd()
    const byKata = new Map<string, RunResult>()
    for (const m of modules) {
      const kata = kataOf(m.moduleId)
      if (kata !== undefined) byKata.set(kata, merge(byKata.get(kata) ?? emptyRun, moduleResult(m)))
    }
    const runs: KataRun[] = []
    for (const kata of [...byKata.keys()].sort()) {
      const result = byKata.get(kata) ?? emptyRun
      const typeError = await this.typeErrors.get(kata)
      runs.push(learnerRun(root, kata, result, typeError))
    }
    const watching = this.vitest?.config.watch === true
    process.stdout.write(`${kataReport(root, runs, watching)}\n`)
    for (const e of unhandled) process.stdout.write(`✗ an error outside the checks: ${e.message ?? String(e)}\n`)
    if (!watching) await this.checker?.close()
  }
}
