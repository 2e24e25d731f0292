/**
 * `npm run report -- 03`: the page of a kata's topic, drawn from the learner's own code.
 *
 * Each kata has a page (lib/course/kata-pages.ts) that calls the kata's functions (the learner's
 * katas/NN-topic/kata.ts, or the reference answers with --solutions) on the lecture's networks and
 * the names data, and shows what they compute: the learner sees the lecture's figures come out of
 * their own code. A kata whose functions are not all written yet gets no page but the list of
 * every function still to write. The kata's checks run first: when some fail, the page is drawn
 * with a banner naming them, and the command says so and exits 1, so a good page is never
 * replaced silently.
 *
 * The kata's code runs on a worker thread (lib/course/draw.ts), so a function that never returns
 * is stopped and named instead of hanging the command. Nothing is written when the page cannot be
 * drawn.
 *
 * Usage: npm run report -- KATA [--solutions]
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'
import { escapeHtml } from '../report/html.ts'
import { describeKatas, kataNumber, listKatas, resolveKata, stubbedFunctions } from '../course/catalogue.ts'
import {
  describeMissing,
  describeStall,
  drawInWorker,
  failingBanner,
  missingFunctions,
  writeKataPage,
} from '../course/draw.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { EXIT, loadProblem } from '../course/errors.ts'
import { besideReference, kataPages } from '../course/kata-pages.ts'
import { missingKataFile, projectRoot as root, runLearnerKatas } from '../course/session.ts'

export const reportUsage = `usage: npm run report -- KATA [--solutions] [--out DIR]

Draws a kata's page from your own code in katas/KATA/kata.ts and writes reports/katas/KATA.html.

  KATA          a number (03) or a name (03-kaiming)
  --solutions   draw it from the reference answers in solutions/ instead
  --out DIR     write the page (and the kata index) into DIR instead of reports/katas
  --help        this text`

export interface ReportOptions {
  readonly kata: string
  readonly solutions: boolean
  /** Where the page goes; reports/katas when not given. */
  readonly out?: string
}

/** Parses `npm run report` arguments. Left: a usage error (exit 2) or an unknown kata (exit 3). */
export const parseReportArgs = (
  argv: readonly string[],
  katas: readonly string[],
): Either<
  { readonly code: 2 | 3; readonly message: string },
  { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: ReportOptions }
> => {
  if (argv.includes('--help') || argv.includes('-h')) return E.right({ kind: 'help' })
  const at = argv.indexOf('--out')
  const out = at === -1 ? undefined : argv[at + 1]
  if (at !== -1 && (out === undefined || out.startsWith('-')))
    return E.left({ code: 2, message: '--out needs a folder' })
  const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 2)]
  const bad = rest.find((a) => a.startsWith('-') && a !== '--solutions')
  if (bad !== undefined) return E.left({ code: 2, message: `unknown option '${bad}'` })
  const names = rest.filter((a) => !a.startsWith('-'))
  if (names.length !== 1)
    return E.left({
      code: 2,
      message:
        names.length === 0 ? `which kata? ${describeKatas(katas)}` : `one kata at a time, got ${names.join(' ')}`,
    })
  const kata = resolveKata(katas, names[0])
  if (kata === undefined) return E.left({ code: 3, message: `there is no kata '${names[0]}'; ${describeKatas(katas)}` })
  return E.right({
    kind: 'run',
    options: { kata, solutions: rest.includes('--solutions'), ...(out === undefined ? {} : { out }) },
  })
}

const main = async (): Promise<number> => {
  const katas = listKatas(root)
  const parsed = parseReportArgs(process.argv.slice(2), katas)
  if (E.isLeft(parsed)) {
    console.error(`report: ${parsed.left.message}${parsed.left.code === EXIT.usage ? `\n\n${reportUsage}` : ''}`)
    return parsed.left.code
  }
  if (parsed.right.kind === 'help') {
    console.log(reportUsage)
    return EXIT.ok
  }
  const { kata, solutions, out: outOption } = parsed.right.options
  const page = kataPages[kataNumber(kata)]
  if (page === undefined) {
    console.error(`report: ${kata} has no page yet (pages exist for ${Object.keys(kataPages).join(', ')})`)
    return EXIT.noSuchKata
  }
  const file = solutions ? join(root, 'solutions', kata, 'kata.ts') : join(root, 'katas', kata, 'kata.ts')
  const shown = relative(root, file)
  if (!existsSync(file)) {
    console.error(`report: ${solutions ? `${shown} does not exist` : missingKataFile(root, kata)}`)
    return EXIT.noSuchKata
  }
  const stubbed = stubbedFunctions(readFileSync(file, 'utf8'))
  const missing = missingFunctions(page.needs, stubbed)
  if (missing.length > 0) {
    console.error(describeMissing(kata, missing))
    return EXIT.notDone
  }
  const stallSeconds = Number(process.env.KATA_STALL_SECONDS ?? 90)
  // the kata's checks first: a page drawn from code that fails them says so
  let failing: string[] = []
  if (!solutions) {
    process.stderr.write(`report: running the checks of ${kata} ...\n`)
    const { runs, stalled } = await runLearnerKatas([kata], { stallSeconds })
    if (stalled.length > 0) {
      console.error(
        `report: the checks of ${kata} stopped making progress: ${shown} probably never returns. Nothing was written.`,
      )
      return EXIT.stalled
    }
    const run = runs[0]
    const loadError = run.loadErrors.find((e) => !/not implemented yet/.test(e))
    if (loadError !== undefined) {
      console.error(`report: ${shown} does not load: ${loadProblem(loadError)}\nNothing was written.`)
      return EXIT.doesNotLoad
    }
    failing = [
      ...(run.typeError === undefined ? [] : [`type error at ${run.typeError}`]),
      ...run.checks.filter((c) => c.state === 'failed').map((c) => c.name),
    ]
  }
  process.stderr.write(`report: drawing ${kata} from ${shown} ...\n`)
  const outcome = await drawInWorker({ root, kata, file, solutions }, { stallSeconds })
  switch (outcome.kind) {
    case 'unloadable':
      console.error(`report: ${shown} does not load: ${loadProblem(outcome.message)}\nNothing was written.`)
      return EXIT.doesNotLoad
    case 'unwritten':
      console.error(describeMissing(kata, missingFunctions(page.needs, stubbed, [outcome.fn])))
      return EXIT.notDone
    case 'failed':
      console.error(
        `report: drawing the page from ${shown} failed: ${outcome.message}${outcome.where === undefined ? '' : `\n  ${outcome.where}`}\nNothing was written. (\`npm run check -- ${kataNumber(kata)}\` shows which checks fail)`,
      )
      return EXIT.notDone
    case 'stalled':
      console.error(describeStall(shown, outcome.stall))
      return EXIT.stalled
    case 'drawn':
      break
  }
  const footer = `Drawn by <code>npm run report -- ${escapeHtml(kataNumber(kata))}${solutions ? ' --solutions' : ''}</code> from ${escapeHtml(shown)} on ${escapeHtml(page.data ?? 'the names of data/names.txt')}, seed 42.`
  // your page carries the reference answers' figures beside yours, on the same scales
  const reference = solutions
    ? undefined
    : await drawInWorker(
        { root, kata, file: join(root, 'solutions', kata, 'kata.ts'), solutions: true },
        { stallSeconds },
      )
  const body = reference?.kind === 'drawn' ? besideReference(outcome.body, reference.body) : outcome.body
  const { file: out, warnings } = await writeKataPage(
    outOption === undefined ? join(root, 'reports', 'katas') : resolve(outOption),
    kata,
    body,
    {
      footer,
      ...(failing.length === 0 ? {} : { banner: failingBanner(failing) }),
    },
  )
  for (const w of warnings) process.stderr.write(`report: chart warning: ${w}\n`)
  console.log(relative(process.cwd(), out) || out)
  if (failing.length > 0) {
    console.error(
      `report: the page carries a banner, because ${failing.length === 1 ? 'this check fails' : `these ${failing.length} checks fail`}:\n${failing
        .slice(0, 5)
        .map((f) => `  ${f}`)
        .join(
          '\n',
        )}${failing.length > 5 ? `\n  and ${failing.length - 5} more` : ''}\n(\`npm run check -- ${kataNumber(kata)}\` shows the next one to fix)`,
    )
    return EXIT.notDone
  }
  return EXIT.ok
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // a signal, to npm's process or to this one (or npm gone), stops the run and its worker threads
  stopWhenTold((why, status) => {
    process.stderr.write(`\nreport: stopped (${why}).\n`)
    process.exit(status)
  })
}
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('report: failed:', e instanceof Error ? e.message : e)
      process.exit(EXIT.internal)
    },
  )
}
