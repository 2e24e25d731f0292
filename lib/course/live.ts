/**
 * The live kata page of `npm run watch`: after each run of the kata's checks, the page is drawn
 * from the learner's code on a worker and written to reports/katas/NN-topic.html, which reloads
 * itself while watch runs. A page whose functions are not all written shows what is missing; a
 * page drawn while checks fail carries a banner naming them.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { escapeHtml } from '../report/html.ts'
import { stubbedFunctions, kataNumber } from './catalogue.ts'
import { loadProblem } from './errors.ts'
import { drawInWorker, failingBanner, missingFunctions, writeKataPage, writePendingPage } from './draw.ts'
import { kataPages } from './kata-pages.ts'
import type { KataRun } from './score.ts'

/** Draws the live page of a kata from the learner's file after a run; the path written, or undefined without a page. */
export const drawLivePage = async (
  root: string,
  run: KataRun,
  { stallSeconds = 20, live = true } = {},
): Promise<string | undefined> => {
  const { kata } = run
  const page = kataPages[kataNumber(kata)]
  if (page === undefined) return undefined
  const outDir = join(root, 'reports', 'katas')
  const file = join(root, 'katas', kata, 'kata.ts')
  const failing = [
    ...(run.typeError === undefined ? [] : [`type error at ${run.typeError}`]),
    ...run.checks.filter((c) => c.state === 'failed').map((c) => c.name),
  ]
  const stubbed = existsSync(file) ? stubbedFunctions(readFileSync(file, 'utf8')) : []
  const missing = missingFunctions(page.needs, stubbed)
  if (missing.length > 0) return writePendingPage(outDir, kata, { missing, failing }, live)
  const outcome = await drawInWorker({ root, kata, file, solutions: false }, { stallSeconds })
  if (outcome.kind !== 'drawn') {
    const problem =
      outcome.kind === 'unwritten'
        ? `${outcome.fn} is not written yet`
        : outcome.kind === 'stalled'
          ? `no progress for ${outcome.stall.seconds} s${outcome.stall.running === undefined ? '' : ` in ${outcome.stall.running}`}`
          : outcome.kind === 'unloadable'
            ? loadProblem(outcome.message)
            : `${outcome.message}${outcome.where === undefined ? '' : ` (${outcome.where})`}`
    return writePendingPage(
      outDir,
      kata,
      {
        missing: outcome.kind === 'unwritten' ? [outcome.fn] : [],
        problem,
        failing,
      },
      live,
    )
  }
  const footer = `Drawn live by <code>npm run watch</code> from ${escapeHtml(`katas/${kata}/kata.ts`)}; it reloads itself while watch runs.`
  const { file: out } = await writeKataPage(outDir, kata, outcome.body, {
    footer,
    live,
    ...(failing.length === 0 ? {} : { banner: failingBanner(failing) }),
  })
  return out
}
