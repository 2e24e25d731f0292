/**
 * `npm test`: the project's type check (typecheck.ts, unchanged) and vitest side by side instead of
 * one after the other; `npm test` fails when either does. The type check's messages are held back
 * until vitest has printed its own, so that the two never interleave. Arguments go to vitest
 * (`npm test -- lib/engine`), as they did when the script was `typecheck && vitest run`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** A child's exit status as a shell reports it: its code, or 128 + the number of the signal that ended it. */
const exitStatus = (child: ChildProcess): Promise<number> =>
  new Promise((done) => {
    child.on('error', () => done(1))
    child.on('exit', (code, signal) => done(code ?? 128 + (signal === null ? 0 : constants.signals[signal])))
  })

const main = async (args: readonly string[]): Promise<number> => {
  const started = performance.now()
  const typecheck = spawn(process.execPath, ['--import', 'tsx', join(root, 'lib', 'cli', 'typecheck.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let held = ''
  typecheck.stdout?.on('data', (d) => {
    held += d
  })
  typecheck.stderr?.on('data', (d) => {
    held += d
  })
  const typed = exitStatus(typecheck).then((status) => ({ status, seconds: (performance.now() - started) / 1000 }))
  const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
  // the kata tests against the reference answers: plain vitest runs them against the learner's files
  const vitest = spawn(process.execPath, [vitestBin, 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, KATA_TARGET: 'solutions' },
  })
  // a signal to this process alone (not to its group, as Ctrl-C is) still stops both
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      typecheck.kill(signal)
      vitest.kill(signal)
    })
  const [tests, types] = await Promise.all([exitStatus(vitest), typed])
  if (held !== '') process.stderr.write(held.endsWith('\n') ? held : `${held}\n`)
  if (types.status === 0) console.log(`type check: no errors (${types.seconds.toFixed(1)} s, beside the tests)`)
  else console.error('npm test: the type check failed (its errors are above)')
  return tests !== 0 ? tests : types.status
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main(process.argv.slice(2))
