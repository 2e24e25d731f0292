/**
 * `npm run watch [-- 01]`: one kata on one screen, redrawn at each save. It runs the kata's checks
 * against the learner's katas/NN-topic/kata.ts in vitest's watch mode (with the kata screen as its
 * reporter) and type-checks the file, then shows the kata's progress, the functions still to
 * write, the next one and its first failing check (or its type error). When the kata is done it
 * says so and moves on to the next. After each run it redraws the kata's page,
 * reports/katas/NN-topic.html, from the learner's code; the page reloads itself while watch runs.
 *
 * Keys (lib/course/watch-keys.ts): a (or --all) every failing check in full, p picks a kata by
 * number, Enter runs again, q quits.
 *
 * Usage: npm run watch [-- [KATA] [--all]]
 */
import { relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Vitest } from 'vitest/node'
import { listKatas } from '../course/catalogue.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { EXIT } from '../course/errors.ts'
import { formatFullRun } from '../course/full.ts'
import { drawLivePage } from '../course/live.ts'
import { watchChecks } from '../course/runner.ts'
import type { KataRun } from '../course/score.ts'
import { kataScreen, terminalWidth, wrap } from '../course/screen.ts'
import {
  currentKata,
  declarationOf,
  kataFunctions,
  learnerRun,
  missingKataFile,
  nextUnfinished,
  projectRoot as root,
} from '../course/session.ts'
import { type KataTypeError, kataTypeCheckerThread } from '../course/typecheck.ts'
import { idle, keysOf, pressKey, WATCH_KEYS } from '../course/watch-keys.ts'
import { parseKataArgs } from './check.ts'

export const watchUsage = `usage: npm run watch [-- [KATA] [--all]]

Runs one kata's checks against your katas/KATA/kata.ts at every save and shows what to do next;
when the kata is done, moves on to the next one not done.

  KATA     a number (03) or a name (03-kaiming); default the kata you are on
  --all    every failing check in full, not only the next one
  --help   this text

Keys while it runs: a every failing check in full (again: the next one only), p pick a kata (type
its number, then Enter), Enter run the checks again, q quit.`

/** What a redraw took, for bench/watch.ts: set WATCH_TIMINGS=1 to have them on stderr. */
const timing = (what: string, ms: number): void => {
  if (process.env.WATCH_TIMINGS === '1') process.stderr.write(`watch-timing ${what} ${ms.toFixed(0)}\n`)
}

const clear = (): void => {
  if (process.stdout.isTTY) process.stdout.write('\u001b[2J\u001b[3J\u001b[H')
  else process.stdout.write('\n')
}

const main = async (argv: readonly string[]): Promise<number> => {
  const katas = listKatas(root)
  const parsed = parseKataArgs(argv, katas)
  if (parsed.kind === 'help') {
    console.log(watchUsage)
    return EXIT.ok
  }
  if (parsed.kind === 'error') {
    console.error(`watch: ${parsed.message}${parsed.code === EXIT.usage ? `\n\n${watchUsage}` : ''}`)
    return parsed.code
  }
  let kata = parsed.kata
  if (kata === undefined) {
    process.stdout.write('watch: finding the kata you are on ...\n')
    kata = (await currentKata(root)).kata
    if (kata === undefined) {
      console.log('Every kata is done. `npm run grade` shows the scoreboard.')
      return EXIT.ok
    }
  }
  const missing = missingKataFile(root, kata)
  if (missing !== undefined) {
    console.error(`watch: ${missing}`)
    return EXIT.noSuchKata
  }
  let all = parsed.all
  const typeChecker = kataTypeCheckerThread(root)
  let vitest: Vitest | undefined
  let last: KataRun | undefined
  let started = performance.now()
  let banner: string | undefined
  let typeErrors: Promise<KataTypeError | undefined> | undefined
  let drawing = Promise.resolve()
  /** The kata picked with p, while it has not been seen failing: watch stays on it. */
  let held: string | undefined

  const show = (run: KataRun, page: string | undefined): boolean => {
    const index = katas.indexOf(run.kata)
    const nextKata = katas[index + 1]
    const screen = kataScreen({
      run,
      functions: kataFunctions(root, run.kata),
      declared: declarationOf(root, run.kata),
      keys: WATCH_KEYS,
      width: terminalWidth(process.stdout.columns),
      ...(page === undefined ? {} : { page }),
      ...(nextKata === undefined ? {} : { nextKata }),
    })
    clear()
    if (banner !== undefined)
      process.stdout.write(
        `${wrap(banner, '', Number.POSITIVE_INFINITY, terminalWidth(process.stdout.columns)).join('\n')}\n\n`,
      )
    process.stdout.write(`${all ? formatFullRun(run) : screen.text}\n`)
    return screen.done
  }

  const watchKata = async (name: string): Promise<void> => {
    const pagePath = relative(process.cwd(), `${root}/reports/katas/${name}.html`)
    vitest = await watchChecks(name, {
      onRunStart: () => {
        started = performance.now()
        // the type check runs on its own thread while the checks run on theirs
        const t = performance.now()
        typeErrors = typeChecker.check(name)
        void typeErrors.then(() => timing('typecheck', performance.now() - t))
      },
      onRun: async (result) => {
        const typeError = await (typeErrors ?? typeChecker.check(name)).catch(() => undefined)
        typeErrors = undefined
        const run = learnerRun(root, name, result, typeError)
        last = run
        const done = show(run, pagePath)
        timing('screen', performance.now() - started)
        // the live page, after the screen: a slow drawing never holds the screen back
        drawing = drawing.then(async () => {
          const t = performance.now()
          await drawLivePage(root, run).catch((e: unknown) => {
            process.stderr.write(`watch: the live page could not be drawn: ${e instanceof Error ? e.message : e}\n`)
          })
          timing('page', performance.now() - started)
          timing('page-draw', performance.now() - t)
        })
        // a kata picked with p stays on screen while it is done; it moves on once it turns done
        if (!done && held === name) held = undefined
        if (done && held !== name) {
          // on to the first kata not done after this one, else the first left unfinished before it
          const t = performance.now()
          void nextUnfinished(name, root).then(
            (nextKata) => {
              timing('next-kata', performance.now() - t)
              if (nextKata === undefined) {
                banner = undefined
                process.stdout.write('\nEvery kata is done. `npm run grade` shows the scoreboard.\n')
                return
              }
              banner = `✓ ${name} is done; on to ${nextKata}.`
              return switchTo(nextKata)
            },
            (e: unknown) => {
              process.stderr.write(`watch: could not find the next kata: ${e instanceof Error ? e.message : e}\n`)
            },
          )
        }
      },
    })
  }

  /** Stops watching the kata shown and watches `name` instead (after its page is drawn). */
  let switching = Promise.resolve()
  const switchTo = (name: string): Promise<void> => {
    switching = switching.then(async () => {
      const missing = missingKataFile(root, name)
      if (missing !== undefined) {
        process.stdout.write(`\nwatch: ${missing}; still on ${last?.kata ?? 'the kata shown'}.\n`)
        return
      }
      await drawing
      await vitest?.close()
      vitest = undefined
      process.stdout.write(`watch: running ${name}'s checks against katas/${name}/kata.ts ...\n`)
      await watchKata(name)
    })
    return switching
  }

  process.stdout.write(`watch: running ${kata}'s checks against katas/${kata}/kata.ts ...\n`)
  await watchKata(kata)

  const quit = async (): Promise<void> => {
    await drawing
    // the page no longer reloads itself once watch is gone
    if (last !== undefined) await drawLivePage(root, last, { live: false }).catch(() => undefined)
    await vitest?.close()
    await typeChecker.close()
    process.exit(EXIT.ok)
  }
  // a terminal made narrower or wider gets the screen drawn again at its new width
  process.stdout.on('resize', () => {
    if (last !== undefined) show(last, undefined)
  })
  if (process.stdin.isTTY) {
    let keys = idle
    process.stdin.setRawMode(true)
    process.stdin.resume()
    process.stdin.on('data', (data: Buffer) => {
      for (const key of keysOf(data.toString())) {
        const { state, action } = pressKey(keys, key, katas)
        keys = state
        switch (action.kind) {
          case 'quit':
            void quit()
            return
          case 'toggle-all':
            all = !all
            if (last !== undefined) show(last, undefined)
            break
          case 'rerun': {
            const v = vitest
            if (v !== undefined) void v.globTestSpecifications().then((specs) => v.rerunTestSpecifications(specs))
            break
          }
          case 'prompt':
          case 'unknown':
            process.stdout.write(`\r\u001b[2K${action.text}`)
            break
          case 'cancel':
            if (last !== undefined) show(last, undefined)
            break
          case 'pick':
            banner = undefined
            held = action.kata
            process.stdout.write('\n')
            void switchTo(action.kata)
            break
          case 'none':
            break
        }
      }
    })
  }
  return new Promise<number>(() => undefined)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // a signal, to npm's process or to this one (or npm gone): stop at once, with the signal's status
  stopWhenTold((why, status) => {
    process.stderr.write(`\nwatch: stopped (${why}).\n`)
    process.exit(status)
  })
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('watch: failed:', e instanceof Error ? e.message : e)
      process.exit(EXIT.internal)
    },
  )
}
