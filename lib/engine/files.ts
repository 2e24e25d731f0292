/**
 * The file-writing edge: a file is written under a temporary name and renamed into place, so a
 * crash never leaves half a file where a reader expects a whole one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

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
