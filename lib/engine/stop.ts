/**
 * Stopping when told, for every command of the project: SIGINT, SIGTERM or SIGHUP, or the process
 * that started this one gone (npm killed: it passes no signal on). The command's own `stop` says
 * so and exits with the status a shell reports for the signal, 128 + its number; worker threads
 * end with the process.
 */
import { readFileSync } from 'node:fs'

/** Exit statuses of a command stopped by a signal: 128 + the signal's number, as a shell reports it. */
export const SIGNAL_STATUS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const

const statOf = (pid: number): { ppid: number; start: string } | undefined => {
  try {
    // /proc/PID/stat: "pid (comm) state ppid ... starttime(22nd)"; comm may hold spaces
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), start: fields[19] }
  } catch {
    return undefined
  }
}

const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** The process that started this one and, up the tree, those that are part of the command (tsx, the npm script). */
const ancestors = (): { pid: number; start: string }[] => {
  const out: { pid: number; start: string }[] = []
  for (let pid = process.ppid; pid > 1 && out.length < 8; ) {
    const s = statOf(pid)
    if (s === undefined) break
    // the parent always counts; further up, only the processes of the command itself
    if (out.length > 0 && !/\b(npm|npx|tsx)\b|lib\/cli\/[\w-]+\.ts/.test(cmdline(pid))) break
    out.push({ pid, start: s.start })
    pid = s.ppid
  }
  return out
}

/** Whether a process is still the one that was there (its start time unchanged: a reused pid is not). */
const alive = (a: { pid: number; start: string }): boolean => statOf(a.pid)?.start === a.start

/** Calls `stop(why, status)` on SIGINT, SIGTERM or SIGHUP, or when the process that started this one is gone. */
export const stopWhenTold = (stop: (why: string, status: number) => void): void => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => stop(signal, SIGNAL_STATUS[signal]))
  const up = process.platform === 'linux' ? ancestors() : []
  const parent = process.ppid
  setInterval(() => {
    const gone = up.find((a) => !alive(a))
    if (gone !== undefined) stop(`process ${gone.pid}, which started this one, is gone`, SIGNAL_STATUS.SIGHUP)
    else if (up.length === 0 && process.ppid !== parent)
      stop('the process that started this one is gone', SIGNAL_STATUS.SIGHUP)
  }, 250).unref()
}
