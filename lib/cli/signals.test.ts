/**
 * Every kata tool stops, with every process it started, on SIGINT, SIGTERM or SIGHUP sent to npm's
 * process or to its own, and exits with the signal's status (128 + its number). Its npm script
 * `exec`s node, so that no shell and no launcher of tsx sits between npm and the tool to swallow
 * the signal or outlive it.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repo = resolve(import.meta.dirname, '..', '..')
const out = mkdtempSync(join(tmpdir(), 'kata-signals-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const stat = (pid: number): { ppid: number; start: string } | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), start: fields[19] }
  } catch {
    return undefined
  }
}

/** Every process below `root`, with its start time (so that a reused pid does not count). */
const descendants = (root: number): { pid: number; start: string }[] => {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      const s = stat(Number(d))
      return s === undefined ? [] : [{ pid: Number(d), ...s }]
    })
  const found: { pid: number; start: string }[] = []
  let frontier = [root]
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid))
    found.push(...next.map(({ pid, start }) => ({ pid, start })))
    frontier = next.map((p) => p.pid)
  }
  return found
}

const cmdlineOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}

/** Whether a process has handlers for SIGHUP, SIGINT and SIGTERM (signals 1, 2 and 15). */
const catchesStopSignals = (pid: number): boolean => {
  try {
    const mask = BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0'}`)
    return [1n, 2n, 15n].every((n) => (mask >> (n - 1n)) & 1n)
  } catch {
    return false
  }
}

const STATUS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const

/** Runs `npm run tool -- args`, sends `signal` to npm or to the tool once it is at work, and says how it ended. */
const interrupt = (tool: string, args: string[], signal: NodeJS.Signals, target: 'npm' | 'tool') =>
  new Promise<{ status: number | null; signal: string | null; left: number; stderr: string }>((done, reject) => {
    const child = spawn('npm', ['run', tool, '--', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.stdout.resume()
    let tree: { pid: number; start: string }[] = []
    // at work: the tool's node process catches the three signals (SigCgt in /proc/PID/status), a second ago (report, which draws
    // a page in a few seconds: a tenth of a second)
    const waitForTool = setInterval(() => {
      tree = descendants(child.pid as number)
      const node = tree.find((p) => cmdlineOf(p.pid).includes(`lib/cli/${tool}.ts`))
      if (node === undefined || !catchesStopSignals(node.pid)) return
      clearInterval(waitForTool)
      setTimeout(
        () => {
          tree = descendants(child.pid as number)
          process.kill(target === 'npm' ? (child.pid as number) : node.pid, signal)
        },
        tool === 'report' ? 100 : 1000,
      )
    }, 50)
    const timer = setTimeout(() => {
      for (const p of descendants(child.pid as number)) process.kill(p.pid, 'SIGKILL')
      reject(new Error(`not stopped: ${stderr}`))
    }, 30_000)
    child.on('exit', (status, sig) => {
      clearInterval(waitForTool)
      // npm may go first: wait until no process of the tool is left, at most 3 s
      const until = performance.now() + 3000
      const poll = () => {
        const left = tree.filter((p) => stat(p.pid)?.start === p.start).length
        if (left > 0 && performance.now() < until) return void setTimeout(poll, 50)
        clearTimeout(timer)
        done({ status, signal: sig, left, stderr })
      }
      poll()
    })
  })

const cases: [string, string[], NodeJS.Signals, 'npm' | 'tool'][] = [
  ['watch', ['01'], 'SIGINT', 'npm'],
  ['watch', ['01'], 'SIGTERM', 'npm'],
  ['watch', ['01'], 'SIGHUP', 'npm'],
  ['watch', ['01'], 'SIGINT', 'tool'],
  ['watch', ['01'], 'SIGTERM', 'tool'],
  ['watch', ['01'], 'SIGHUP', 'tool'],
  ['check', ['01'], 'SIGTERM', 'npm'],
  ['check', ['01'], 'SIGHUP', 'tool'],
  ['grade', [], 'SIGINT', 'npm'],
  ['grade', [], 'SIGTERM', 'tool'],
  ['report', ['01', '--solutions', '--out', out], 'SIGHUP', 'npm'],
  ['report', ['01', '--solutions', '--out', out], 'SIGINT', 'tool'],
]

describe('the kata tools stop when told', () => {
  it.each(cases)(
    'npm run %s %s: %s to the %s process stops every process of it',
    async (tool, args, signal, target) => {
      const r = await interrupt(tool, args, signal, target)
      expect(r.left, r.stderr).toBe(0)
      // npm itself dies of a SIGHUP it does not handle; the shell would report 128 + 1 = 129 for it
      if (r.status === null) expect([signal, r.signal]).toEqual(['SIGHUP', 'SIGHUP'])
      else expect(r.status, r.stderr).toBe(STATUS[signal as keyof typeof STATUS])
      if (target === 'tool' || signal !== 'SIGHUP') expect(r.stderr).toContain(`${tool}: stopped (${signal})`)
    },
    40_000,
  )
})
