import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { checkWritableDir, recoverInterruptedSet, writeFileAtomic, writeFileSet, type SetFile } from './files.ts'

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

/** Every file under a folder with its content, paths relative to it. */
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`)
      else out[`${rel}${e.name}`] = readFileSync(join(d, e.name), 'utf8')
    }
  }
  walk(dir, '')
  return out
}

const setOf = (tag: string, names = ['index.html', 'a.html', 'b.html', 'results.json']): SetFile[] =>
  names.map((name) => ({ name, content: `${tag} ${name}` }))

const isRoot = process.getuid?.() === 0

/** Mounts a tmpfs (root only); undefined when mount is refused. */
const mountTmpfs = (dir: string, options: string): (() => void) | undefined => {
  const r = spawnSync('/usr/bin/mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir])
  return r.status === 0 ? () => spawnSync('/usr/bin/umount', [dir]) : undefined
}

/** A folder nobody may write into: chmod 555, or for root (who ignores modes) a read-only tmpfs. */
const readOnlyFolder = (): { dir: string; undo: () => void } => {
  const dir = temp('files-ro-')
  if (!isRoot) {
    chmodSync(dir, 0o555)
    return { dir, undo: () => chmodSync(dir, 0o755) }
  }
  const undo = mountTmpfs(dir, 'ro,size=64k')
  if (undo === undefined) throw new Error('cannot make a read-only folder here: not root-free and mount refused')
  return { dir, undo }
}

describe('atomic writes', () => {
  it('write the whole content, create the folder and leave no temporary file', () => {
    const dir = temp('files-')
    writeFileAtomic(join(dir, 'a', 'b.txt'), 'hello')
    expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe('hello')
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.txt'])
  })
  it('leave nothing behind when the write fails', () => {
    const dir = temp('files-')
    mkdirSync(join(dir, 'taken'))
    expect(() => writeFileAtomic(join(dir, 'taken'), 'x')).toThrow()
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})

describe('checkWritableDir: --out checked before any work', () => {
  it('a missing folder is created to probe it, then removed: nothing is left behind', () => {
    const parent = temp('files-out-')
    const r = checkWritableDir(join(parent, 'new', 'reports'))
    expect(r).toEqual(E.right(join(parent, 'new', 'reports')))
    expect(readdirSync(parent)).toEqual([])
    mkdirSync(join(parent, 'old'))
    writeFileSync(join(parent, 'old', 'keep.txt'), 'x')
    expect(checkWritableDir(join(parent, 'old'))).toEqual(E.right(join(parent, 'old')))
    expect(snapshot(parent)).toEqual({ 'old/keep.txt': 'x' })
  })
  it('an existing file is refused in one line', () => {
    const parent = temp('files-out-')
    writeFileSync(join(parent, 'taken'), 'x')
    expect(checkWritableDir(join(parent, 'taken'))).toEqual(
      E.left(`${join(parent, 'taken')} is a file, not a folder: choose another --out`),
    )
    expect(checkWritableDir(join(parent, 'taken', 'sub'))).toEqual(
      E.left(`cannot create the folder ${join(parent, 'taken', 'sub')}: a part of the path is a file, not a folder`),
    )
  })
  it('a read-only folder is refused in one line naming it', () => {
    const { dir, undo } = readOnlyFolder()
    try {
      const r = checkWritableDir(dir)
      expect(E.isLeft(r) && r.left).toMatch(
        new RegExp(`^cannot write into ${dir}: (permission denied|the file system is read-only)$`),
      )
      const below = checkWritableDir(join(dir, 'reports'))
      expect(E.isLeft(below) && below.left).toMatch(
        /^cannot create the folder .*: (permission denied|the file system is read-only)$/,
      )
    } finally {
      undo()
    }
  })
})

describe('writeFileSet: all or nothing', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('writes the set, keeps what else the folder held (a README, a subfolder) and leaves nothing beside it', () => {
    const parent = temp('files-set-')
    dirs.push(parent)
    const out = join(parent, 'reports')
    mkdirSync(join(out, 'katas'), { recursive: true })
    writeFileSync(join(out, 'README.md'), 'readme')
    writeFileSync(join(out, 'katas', 'index.html'), 'kata')
    writeFileSync(join(out, 'a.html'), 'old a')
    chmodSync(out, 0o750)
    expect(writeFileSet(out, setOf('new'))).toEqual(E.right(out))
    expect(snapshot(out)).toEqual({
      'README.md': 'readme',
      'a.html': 'new a.html',
      'b.html': 'new b.html',
      'index.html': 'new index.html',
      'katas/index.html': 'kata',
      'results.json': 'new results.json',
    })
    expect(readdirSync(parent)).toEqual(['reports'])
    expect(statSync(out).mode & 0o777).toBe(0o750)
  })

  it('creates the folder when there is none', () => {
    const parent = temp('files-set-')
    dirs.push(parent)
    expect(E.isRight(writeFileSet(join(parent, 'deep', 'out'), setOf('new')))).toBe(true)
    expect(Object.keys(snapshot(join(parent, 'deep', 'out'))).sort()).toEqual([
      'a.html',
      'b.html',
      'index.html',
      'results.json',
    ])
  })

  it('a write that fails at any file leaves the old set whole, says which file and why, and leaves nothing beside it', () => {
    for (let failAt = 0; failAt < 4; failAt++) {
      const parent = temp('files-set-')
      dirs.push(parent)
      const out = join(parent, 'reports')
      writeFileSet(out, setOf('old'))
      const before = snapshot(out)
      let n = 0
      const r = writeFileSet(out, setOf('new'), {
        writeFile: (path, content) => {
          if (n++ === failAt) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
          writeFileSync(path, content)
        },
      })
      expect(r).toEqual(E.left({ file: join(out, setOf('x')[failAt].name), reason: 'the disk is full' }))
      expect(snapshot(out)).toEqual(before)
      expect(readdirSync(parent)).toEqual(['reports'])
    }
  })

  it('after a writer killed where no handler runs (SIGKILL), the next run puts the old set back and removes what it left', () => {
    // a process id that was just in use and is not any more
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim()
    const parent = temp('files-killed-')
    dirs.push(parent)
    const out = join(parent, 'reports')
    writeFileSet(out, setOf('old'))
    const before = snapshot(out)
    // killed while writing the fresh folder: the old set is in place, a half-written folder beside it
    mkdirSync(join(parent, `.reports.new-${dead}-aB3dE9`))
    writeFileSync(join(parent, `.reports.new-${dead}-aB3dE9`, 'index.html'), 'half')
    expect(recoverInterruptedSet(out)).toEqual([
      `removed ${join(parent, `.reports.new-${dead}-aB3dE9`)}, left by a write that was killed`,
    ])
    expect(readdirSync(parent)).toEqual(['reports'])
    expect(snapshot(out)).toEqual(before)
    // killed between the two renames: no reports folder, the old set aside, the new one beside it
    writeFileSet(join(parent, 'staged'), setOf('new'))
    rmSync(join(parent, 'staged'), { recursive: true })
    renameSync(out, join(parent, `.reports.old-${dead}`))
    mkdirSync(join(parent, `.reports.new-${dead}-Zz0912`))
    const said = recoverInterruptedSet(out)
    expect(said[0]).toBe(`put back ${out}, which a write killed halfway had moved to .reports.old-${dead}`)
    expect(said).toHaveLength(2)
    expect(readdirSync(parent)).toEqual(['reports'])
    expect(snapshot(out)).toEqual(before)
    // a writer still running (this process) is left alone, and so is what does not look like staging
    mkdirSync(join(parent, `.reports.new-${process.pid}-live01`))
    mkdirSync(join(parent, '.reports.notes'))
    expect(recoverInterruptedSet(out)).toEqual([])
    expect(readdirSync(parent).sort()).toEqual([`.reports.new-${process.pid}-live01`, '.reports.notes', 'reports'])
  })

  it.skipIf(!isRoot)('on a full tmpfs (root only) the old set stays whole and the message names the file', () => {
    const mnt = temp('files-full-')
    const undo = mountTmpfs(mnt, 'size=256k')
    if (undo === undefined) {
      console.warn('mount refused: the full-disk case is covered by the injected write error only')
      return
    }
    try {
      const out = join(mnt, 'reports')
      writeFileSet(out, setOf('old'))
      const before = snapshot(out)
      // the new set is too big for what is left: 4 files of 100 KB in 256 KB
      const big = setOf('new').map((f) => ({ name: f.name, content: 'x'.repeat(100_000) }))
      const r = writeFileSet(out, big)
      expect(E.isLeft(r) && r.left.reason).toBe('the disk is full')
      expect(E.isLeft(r) && r.left.file).toMatch(/reports\/(index|a|b)\.html|results\.json$/)
      expect(snapshot(out)).toEqual(before)
      expect(readdirSync(mnt)).toEqual(['reports'])
    } finally {
      undo()
      rmSync(mnt, { recursive: true, force: true })
    }
  })
})
