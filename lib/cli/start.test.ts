import { describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { readNamesFile } from '../model/data.ts'
import { findExperiment, prepareCorpus, runExperiment, snapshotStepsFor } from '../model/experiments.ts'

interface Ran {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `npm start` as a person would (through tsx), with the given flags. */
const start = (...args: string[]): Ran =>
  spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/start.ts', ...args], { encoding: 'utf8', timeout: 120_000 })

const withoutTimes = (json: string) => JSON.parse(json, (key, value) => (key === 'seconds' ? undefined : value))

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

/** A names file of n distinct names of about six letters. */
const namesFile = (dir: string, n: number): string => {
  const file = join(dir, `names-${n}.txt`)
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const name = (i: number) =>
    Array.from({ length: 6 }, (_, k) => letters[Math.floor(i / 26 ** k + k * 7) % 26]).join('')
  writeFileSync(file, `${Array.from({ length: n }, (_, i) => name(i)).join('\n')}\n`)
  return file
}

/** No message of `npm start` is a stack trace or names an internal function. */
const plain = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /)
  expect(stderr).not.toMatch(/sampleBatch|buildExamples|ShapeError|EEXIST|EACCES|EROFS/)
}

describe('npm start', () => {
  it('writes results.json and the reports; its numbers are those of the experiments run in this process', () => {
    const out = temp('start-out-')
    // every 4th name of the built-in corpus: the final evaluation of the splits, made here and in
    // the workers, is a quarter of the work, and the comparison is the same
    const all = readNamesFile('data/names.txt')
    if (E.isLeft(all)) throw new Error(all.left.message)
    const data = join(temp('start-data-'), 'names.txt')
    writeFileSync(data, `${all.right.filter((_, i) => i % 4 === 0).join('\n')}\n`)
    const flags = ['--data', data, '--steps', '40', '--only', 'naive,deep-tanh', '--seed', '5']
    const r = start(...flags, '--out', out)
    expect(r.status, r.stderr).toBe(0)
    const results = withoutTimes(readFileSync(join(out, 'results.json'), 'utf8'))
    expect(results.experiments.map((e: { name: string }) => e.name)).toEqual(['naive', 'deep-tanh'])
    expect(Object.keys(results.experiments[0]).sort()).toEqual([
      'initLoss',
      'lecture',
      'name',
      'parameters',
      'samples',
      'steps',
      'train',
      'val',
    ])
    // the same seed on the main thread gives the same losses and samples as the workers did
    const words = readNamesFile(data)
    if (E.isLeft(words)) throw new Error(words.left.message)
    const corpus = prepareCorpus(words.right, 5)
    for (const [i, name] of ['naive', 'deep-tanh'].entries()) {
      const run = runExperiment(findExperiment(name)!, corpus, { steps: 40, seed: 5, snapshotSteps: snapshotStepsFor })
      expect(results.experiments[i]).toMatchObject({
        initLoss: Number(run.initLoss.toFixed(4)),
        train: Number(run.train.toFixed(4)),
        val: Number(run.val.toFixed(4)),
        samples: run.samples,
      })
    }
    expect(existsSync(join(out, 'index.html'))).toBe(true)
    expect(readdirSync(join(out, '..')).filter((f) => f.startsWith(`.${out.split('/').pop()}.`))).toEqual([])
    expect(r.stdout).toMatch(/experiment\s+params\s+init loss \(lecture\)/)
    expect(r.stdout).toContain('expected initial loss of a uniform guess: ln 27 = 3.2958')
    expect(r.stdout).toMatch(/2 experiments, 40 steps each, seed 5, 2 worker threads; about \d+ s of training/)
  }, 120_000)

  it('a bad flag prints the usage and exits with status 2', () => {
    const r = start('--stpes', '10')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("npm start: unknown option '--stpes'")
    expect(r.stderr).toContain('usage: npm start -- [options]')
  })

  it('a seed out of range is refused before anything runs', () => {
    const r = start('--seed', '9007199254740992')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("npm start: --seed must be from 0 to 4294967295, got '9007199254740992'")
  })

  it('a bad names file says which line and writes nothing', () => {
    const dir = temp('start-bad-')
    const file = join(dir, 'names.txt')
    writeFileSync(file, 'emma\nOlivia\n')
    const r = start('--data', file, '--out', join(dir, 'out'))
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/names\.txt:2: .*'O'/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('too few names (1, 2 or 5): says how many there are and how many are needed, and trains nothing', () => {
    const dir = temp('start-few-')
    for (const n of [1, 2, 5]) {
      const file = namesFile(dir, n)
      const r = start('--data', file, '--out', join(dir, `out-${n}`))
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toMatch(
        new RegExp(
          `^npm start: ${file}: too few names: the file has ${n} names?, .* each part needs at least one batch of 32; about \\d+ names of this length are needed\\n$`,
        ),
      )
      plain(r.stderr)
      expect(r.stdout).not.toContain('experiments,')
    }
  })

  it('--out that is a file, or a folder that cannot be written, is refused in one line before training', () => {
    const dir = temp('start-out-')
    writeFileSync(join(dir, 'taken'), 'x')
    const r = start('--out', join(dir, 'taken'))
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(`npm start: --out: ${join(dir, 'taken')} is a file, not a folder: choose another --out\n`)
    expect(r.stdout).toBe('')
    // a read-only folder: chmod for a user, a read-only tmpfs for root (who ignores modes)
    const ro = join(dir, 'ro')
    mkdirSync(ro)
    const root = process.getuid?.() === 0
    const mounted = root && spawnSync('/usr/bin/mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]).status === 0
    if (!root) spawnSync('chmod', ['555', ro])
    if (root && !mounted) throw new Error('cannot make a read-only folder: root, and mount refused')
    try {
      const r2 = start('--out', ro)
      expect(r2.status).toBe(1)
      expect(r2.stderr).toMatch(
        new RegExp(`^npm start: --out: cannot write into ${ro}: (permission denied|the file system is read-only)\\n$`),
      )
      plain(r2.stderr)
    } finally {
      if (mounted) spawnSync('/usr/bin/umount', [ro])
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Stopping when told

/** The processes whose command line holds `marker`, with their parents. */
const processesWith = (marker: string): { pid: number; ppid: number; cmd: string }[] => {
  const out: { pid: number; ppid: number; cmd: string }[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (!cmd.includes(marker)) continue
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      out.push({ pid: Number(d), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), cmd })
    } catch {}
  }
  return out
}

/**
 * Starts `npm start` on a long run, waits until training has begun, sends `signal` to npm's own
 * process or to the process running start.ts (the workers' process), and reports how it ended.
 */
const interrupt = (signal: NodeJS.Signals, target: 'npm' | 'worker') =>
  new Promise<{
    status: number | null
    signal: string | null
    stopMs: number
    left: number
    stderr: string
    out: string
  }>((resolveRun, reject) => {
    const out = temp(`start-${signal}-${target}-`)
    const child = spawn('npm', ['start', '--', '--steps', '1000000', '--only', 'naive,kaiming', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = '',
      stderr = '',
      sentAt = 0
    child.stdout.on('data', (d) => {
      stdout += d
      if (sentAt === 0 && /experiments,/.test(stdout)) {
        // training has begun on the workers
        setTimeout(() => {
          const tree = processesWith(out)
          // the process that runs start.ts and its worker threads: the leaf of npm -> node
          const worker = tree.find((p) => p.pid !== child.pid && !tree.some((q) => q.ppid === p.pid))
          const pid = target === 'npm' ? child.pid : worker?.pid
          if (pid === undefined) return reject(new Error(`no ${target} process among ${JSON.stringify(tree)}`))
          sentAt = performance.now()
          process.kill(pid, signal)
        }, 300)
      }
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      for (const p of processesWith(out)) process.kill(p.pid, 'SIGKILL')
      reject(new Error(`not stopped: ${stdout}\n${stderr}`))
    }, 30_000)
    child.on('exit', (status, sig) => {
      // npm may go first: wait until no process of the run is left, at most 3 s
      const until = performance.now() + 3000
      const poll = () => {
        const left = processesWith(out).length
        if (left > 0 && performance.now() < until) return void setTimeout(poll, 50)
        clearTimeout(timer)
        const stopMs = performance.now() - sentAt
        // the run's last words may still be in the pipe when its processes are gone: read stderr to
        // its end (every writer closed) before judging it, at most 2 s more
        const done = () => resolveRun({ status, signal: sig, stopMs, left, stderr, out })
        if (child.stderr.readableEnded) done()
        else {
          child.stderr.once('end', done)
          setTimeout(done, 2000)
        }
      }
      poll()
    })
  })

describe('npm start stops when told', () => {
  const cases: [NodeJS.Signals, 'npm' | 'worker', number][] = [
    ['SIGINT', 'npm', 130],
    ['SIGTERM', 'npm', 143],
    ['SIGHUP', 'npm', 129],
    ['SIGINT', 'worker', 130],
    ['SIGTERM', 'worker', 143],
    ['SIGHUP', 'worker', 129],
  ]
  it.concurrent.each(cases)(
    '%s to the %s process: every process of the run gone within 5 s, nothing written, status %i',
    async (signal, target, status) => {
      const r = await interrupt(signal, target)
      expect(r.left).toBe(0)
      // a stop takes well under a second on a quiet machine; six runs are stopped at once here, beside the
      // other test files, and on a loaded 2-core machine one took 2.4 s: the bound tells a stop from a hang
      expect(r.stopMs).toBeLessThan(5000)
      // npm itself dies of a SIGHUP it does not handle; the shell would report 128 + 1 = 129 for it
      if (r.status === null) expect([signal, r.signal]).toEqual(['SIGHUP', 'SIGHUP'])
      else expect(r.status).toBe(status)
      expect(readdirSync(r.out)).toEqual([])
      expect(readdirSync(join(r.out, '..')).filter((f) => f.startsWith(`.${r.out.split('/').pop()}.`))).toEqual([])
      if (target === 'worker' || signal !== 'SIGHUP') expect(r.stderr).toContain('nothing was written')
    },
  )
})
