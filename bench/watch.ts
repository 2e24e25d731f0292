/**
 * `npm run bench:watch`: how long a save in `npm run watch` takes to redraw the kata screen and
 * the live kata page. It starts `npm run watch -- 01` (with WATCH_TIMINGS=1) on this checkout,
 * saves katas/01-initial-loss/kata.ts a few times, and times from each save to the screen and to
 * the page being written: first with the stub (one function written, the page lists what is
 * missing), then with every function written and one check failing (the reference answer with
 * b2 started at 0.001: the page is drawn in full, charts and all, under a banner naming the check).
 * The learner's file is put back as it was at the end.
 *
 * Usage: npm run bench:watch [-- --saves N]
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const file = join(root, 'katas', '01-initial-loss', 'kata.ts')
const solution = join(root, 'solutions', '01-initial-loss', 'kata.ts')
const savesArg = process.argv.indexOf('--saves')
const saves = savesArg > 0 ? Number(process.argv[savesArg + 1]) : 5

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const original = readFileSync(file, 'utf8')
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'lib', 'cli', 'watch.ts'), '01'], {
  cwd: root,
  env: { ...process.env, WATCH_TIMINGS: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
const waiting: { what: string; resolve: (t: number) => void }[] = []
let buffer = ''
/** watch's own figures: from the start of each run of the checks, and the type check's share. */
const inside: string[] = []
child.stdout.resume()
child.stderr.on('data', (d: Buffer) => {
  buffer += d.toString()
  const lines = buffer.split('\n')
  buffer = lines.pop() ?? ''
  for (const line of lines) {
    const m = /^watch-timing (\w[\w-]*) (\d+)/.exec(line)
    if (m === null) continue
    inside.push(`${m[1]} ${m[2]} ms`)
    const i = waiting.findIndex((w) => w.what === m[1])
    if (i >= 0) waiting.splice(i, 1)[0].resolve(performance.now())
  }
})
const next = (what: string, timeoutMs = 120_000): Promise<number> =>
  new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no '${what}' from watch after ${timeoutMs / 1000} s`)), timeoutMs)
    waiting.push({
      what,
      resolve: (t) => {
        clearTimeout(timer)
        done(t)
      },
    })
  })

/** Saves the file `saves` times with `edit(i)`, and times each save to the screen and the page. */
const measure = async (label: string, edit: (i: number) => string) => {
  const screen: number[] = [],
    page: number[] = []
  for (let i = 0; i < saves; i++) {
    const screenAt = next('screen'),
      pageAt = next('page')
    const saved = performance.now()
    writeFileSync(file, edit(i))
    screen.push((await screenAt) - saved)
    page.push((await pageAt) - saved)
    await new Promise((r) => setTimeout(r, 300))
  }
  const f = (xs: number[]) => `median ${(median(xs) / 1000).toFixed(2)} s, max ${(Math.max(...xs) / 1000).toFixed(2)} s`
  console.log(`${label}\n  save -> screen redrawn: ${f(screen)}\n  save -> live page written: ${f(page)}`)
  console.log(`  inside watch (from the start of the run): ${inside.splice(0).join(', ')}`)
  return { screen, page }
}

try {
  const first = next('page', 180_000)
  await first
  const written = original.replace(
    /export const expectedInitialLoss = \(vocabSize: number\): number =>\s*notImplemented\(KATA, 'expectedInitialLoss'\)/,
    'export const expectedInitialLoss = (vocabSize: number): number => -Math.log(1 / vocabSize)',
  )
  console.log(
    `npm run watch -- 01, ${saves} saves each (${process.env.npm_config_user_agent ?? `node ${process.version}`})`,
  )
  await measure('the stub, expectedInitialLoss written and unwritten in turn (page: what is missing)', (i) =>
    i % 2 === 0 ? written : original,
  )
  const answer = readFileSync(solution, 'utf8').replace('w2: 0.01, b2: 0 })', 'w2: 0.01, b2: 0.001 })')
  if (!answer.includes('b2: 0.001')) throw new Error('bench/watch.ts: the planted mistake no longer applies')
  await measure(
    'every function written, one check failing (page: drawn in full, with a banner)',
    (i) => `${answer}\n// save ${i}\n`,
  )
} finally {
  writeFileSync(file, original)
  child.kill('SIGINT')
}
