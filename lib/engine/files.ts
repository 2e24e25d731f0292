/**
 * The file-writing edge. A file is written under a temporary name and renamed into place, so a
 * crash never leaves half a file where a reader expects a whole one; a set of files (a report) is
 * written whole into a fresh folder beside its destination and swapped in with renames, so a
 * reader sees the old set or the new one, never a mix.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import * as E from 'fp-ts/Either'
import type { Either } from 'fp-ts/Either'

/** Writes `content` to `path` atomically, creating the folder if needed. */
export const writeFileAtomic = (path: string, content: string | Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

const codeOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined

/** Why a file-system call failed, in plain words (no stack, no errno soup). */
export const describeFsError = (err: unknown): string => {
  switch (codeOf(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder'
    case 'EEXIST':
      return 'it already exists'
    case 'EISDIR':
      return 'it is a folder'
    case 'ENAMETOOLONG':
      return 'the name is too long'
    case 'ENOENT':
      return 'there is no such file or folder'
    default:
      return err instanceof Error ? err.message.split('\n')[0] : String(err)
  }
}

/**
 * Why a recursive mkdir really failed: Node reports ENOENT for a read-only or forbidden parent,
 * so retry the first missing folder alone, which fails with the true reason.
 */
const realMkdirError = (path: string, err: unknown): unknown => {
  if (codeOf(err) !== 'ENOENT') return err
  let first = path
  while (!existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first)
  try {
    mkdirSync(first)
    rmSync(first, { recursive: true, force: true })
  } catch (e) {
    return e
  }
  return err
}

/**
 * The folders a set is staged in sit beside the destination under this prefix, each named by the
 * writer's process id (`.reports.new-<pid>-<random>`, `.reports.old-<pid>`, `.reports.probe-<pid>-<random>`),
 * so that a later run can tell one left by a writer that was killed from one in use.
 */
const stagingPrefix = (dir: string): string => join(dirname(dir), `.${basename(dir)}.`)

/** Whether a process with this id is running (one we may not signal counts as running). */
const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return codeOf(e) === 'EPERM'
  }
}

/**
 * Cleans up after a set write that was killed where no handler runs (SIGKILL, a power cut): an old
 * set renamed aside whose new set never took its place is put back, then the staging folders of
 * writers no longer running are removed. Folders of a running writer are left alone. Returns what
 * it did, a line each, for the caller to tell.
 */
export const recoverInterruptedSet = (dir: string): string[] => {
  const abs = resolve(dir)
  const prefix = basename(stagingPrefix(abs))
  const parent = dirname(abs)
  let entries: string[]
  try {
    entries = readdirSync(parent)
  } catch {
    return []
  }
  const done: string[] = []
  const stale = entries.flatMap((name) => {
    if (!name.startsWith(prefix)) return []
    const m = /^(new|old|probe)-(\d+)(-|$)/.exec(name.slice(prefix.length))
    if (m === null || running(Number(m[2]))) return []
    return [{ name, kind: m[1] }]
  })
  if (!existsSync(abs)) {
    const old = stale.find((f) => f.kind === 'old')
    if (old !== undefined) {
      try {
        renameSync(join(parent, old.name), abs)
        done.push(`put back ${dir}, which a write killed halfway had moved to ${old.name}`)
      } catch {}
    }
  }
  for (const f of stale) {
    const path = join(parent, f.name)
    if (!existsSync(path)) continue
    try {
      rmSync(path, { recursive: true, force: true })
      done.push(`removed ${path}, left by a write that was killed`)
    } catch {}
  }
  return done
}

/**
 * Checks, before any work, that `dir` can take a set of files: it is a folder or can be created,
 * and a probe file can be written into it and beside it (where the fresh folder goes) and removed.
 * A folder it had to create is removed again: nothing is left behind.
 * Left is a one-line message naming the folder.
 */
export const checkWritableDir = (dir: string): Either<string, string> => {
  const abs = resolve(dir)
  const stat = (() => {
    try {
      return statSync(abs)
    } catch {
      return undefined
    }
  })()
  if (stat !== undefined && !stat.isDirectory()) return E.left(`${dir} is a file, not a folder: choose another --out`)
  // the first folder of the path that does not exist yet: removed again after the probe, so a
  // run that stops before writing leaves nothing behind
  let created: string | undefined
  if (stat === undefined) {
    created = abs
    while (!existsSync(dirname(created)) && dirname(created) !== created) created = dirname(created)
  }
  try {
    mkdirSync(abs, { recursive: true })
  } catch (e) {
    return E.left(`cannot create the folder ${dir}: ${describeFsError(realMkdirError(abs, e))}`)
  }
  for (const [where, folder] of [
    [dir, abs],
    [`beside ${dir} (in ${dirname(abs)}), where the new report is written before it replaces the old`, undefined],
  ] as const) {
    let probe: string | undefined
    try {
      probe =
        folder === undefined
          ? mkdtempSync(`${stagingPrefix(abs)}probe-${process.pid}-`)
          : join(folder, `.write-probe-${process.pid}`)
      if (folder !== undefined) {
        const fd = openSync(probe, 'w')
        writeSync(fd, 'probe')
        closeSync(fd)
      }
    } catch (e) {
      return E.left(`cannot write ${folder === undefined ? where : `into ${where}`}: ${describeFsError(e)}`)
    } finally {
      if (probe !== undefined) rmSync(probe, { recursive: true, force: true })
      if (folder === undefined && created !== undefined) rmSync(created, { recursive: true, force: true })
    }
  }
  return E.right(abs)
}

/** One file of a set: its name inside the folder and its content. */
export interface SetFile {
  readonly name: string
  readonly content: string | Uint8Array
}

/** A set that could not be written: which file (or step) failed and why; the old set is intact. */
export interface SetWriteError {
  readonly file: string
  readonly reason: string
}

/** The effects writeFileSet uses, replaceable so a test can make one fail. */
export interface SetWriteFs {
  readonly writeFile: (path: string, content: string | Uint8Array) => void
}

const realFs: SetWriteFs = { writeFile: (path, content) => writeFileSync(path, content) }

const modeOf = (path: string): number | undefined => {
  try {
    return statSync(path).mode & 0o7777
  } catch {
    return undefined
  }
}

/** The staging folder of the current write, so that a signal handler can remove it. */
let staging: string | undefined

/** Removes a half-written set's fresh folder, if a write is under way (for a signal handler). */
export const abandonSetWrite = (): void => {
  if (staging !== undefined) rmSync(staging, { recursive: true, force: true })
  staging = undefined
}

/**
 * Writes `files` as a set into `dir`: all into a fresh folder beside it, then the old folder is
 * renamed aside and the fresh one renamed into its place, so `dir` holds the old set or the new,
 * never a mix. Entries of the old folder that are not in the set (a README, a subfolder) are
 * carried over: files as hard links (copies where links fail), folders moved just before the swap.
 * On failure the fresh folder is removed, the old set stays as it was, and Left says which file.
 * Synchronous from start to end, so no signal handler runs in the middle.
 */
export const writeFileSet = (
  dir: string,
  files: readonly SetFile[],
  fs: SetWriteFs = realFs,
): Either<SetWriteError, string> => {
  const abs = resolve(dir)
  const names = new Set(files.map((f) => f.name))
  let fresh: string
  try {
    mkdirSync(dirname(abs), { recursive: true })
    fresh = mkdtempSync(`${stagingPrefix(abs)}new-${process.pid}-`)
    // mkdtemp makes a private folder: give it the old folder's mode, or a new folder's
    chmodSync(fresh, modeOf(abs) ?? 0o777 & ~process.umask())
  } catch (e) {
    return E.left({ file: `a new folder beside ${dir}`, reason: describeFsError(e) })
  }
  staging = fresh
  const fail = (file: string, e: unknown): Either<SetWriteError, string> => {
    abandonSetWrite()
    return E.left({ file, reason: describeFsError(e) })
  }
  for (const f of files) {
    try {
      fs.writeFile(join(fresh, f.name), f.content)
    } catch (e) {
      return fail(join(dir, f.name), e)
    }
  }
  let old: string[] = []
  try {
    old = readdirSync(abs)
  } catch (e) {
    if (codeOf(e) !== 'ENOENT') return fail(dir, e)
  }
  const folders: string[] = []
  for (const entry of old) {
    if (names.has(entry)) continue
    const from = join(abs, entry)
    try {
      if (lstatSync(from).isDirectory()) folders.push(entry)
      else linkSync(from, join(fresh, entry))
    } catch (e) {
      return fail(`${from} (kept from the old folder)`, e)
    }
  }
  // the swap: the old folder's subfolders move over, then two renames
  const moved: string[] = []
  const aside = `${stagingPrefix(abs)}old-${process.pid}`
  let setAside = false
  try {
    for (const entry of folders) {
      renameSync(join(abs, entry), join(fresh, entry))
      moved.push(entry)
    }
    try {
      renameSync(abs, aside)
      setAside = true
    } catch (e) {
      if (codeOf(e) !== 'ENOENT') throw e
    }
    renameSync(fresh, abs)
  } catch (e) {
    // put the old folder back, then what moved out of it, so the old set is whole again
    try {
      if (setAside) renameSync(aside, abs)
    } catch {}
    for (const entry of moved) {
      try {
        renameSync(join(fresh, entry), join(abs, entry))
      } catch {}
    }
    return fail(dir, e)
  }
  staging = undefined
  rmSync(aside, { recursive: true, force: true })
  return E.right(abs)
}
