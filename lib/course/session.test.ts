import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { KataRun } from './score.ts'
import { katasAfter, type LearnerRuns, nextUnfinished } from './session.ts'

const katas = ['01-a', '02-b', '03-c', '04-d']

describe('where watch goes once a kata is done', () => {
  it('tries the katas after it, then the ones before it', () => {
    expect(katasAfter(katas, '02-b')).toEqual(['03-c', '04-d', '01-a'])
    expect(katasAfter(katas, '04-d')).toEqual(['01-a', '02-b', '03-c'])
    expect(katasAfter(katas, '01-a')).toEqual(['02-b', '03-c', '04-d'])
  })

  const root = mkdtempSync(join(tmpdir(), 'next-kata-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  /** A checkout whose katas are written (true) or still have a stub (false). */
  const checkout = (written: Record<string, boolean>): string => {
    const dir = mkdtempSync(join(root, 'k-'))
    for (const [kata, w] of Object.entries(written)) {
      mkdirSync(join(dir, 'katas', kata), { recursive: true })
      writeFileSync(
        join(dir, 'katas', kata, 'kata.ts'),
        w ? 'export const f = () => 1\n' : `export const f = () => notImplemented('${kata}', 'f')\n`,
      )
    }
    return dir
  }
  /** A runner that says which katas pass, and records what it was asked to run. */
  const runner =
    (passing: readonly string[], asked: string[][]) =>
    async (ks: readonly string[]): Promise<LearnerRuns> => {
      asked.push([...ks])
      return {
        stalled: [],
        runs: ks.map(
          (kata): KataRun => ({
            kata,
            loadErrors: [],
            checks: [{ name: 'x', state: passing.includes(kata) ? 'passed' : 'failed', messages: [] }],
          }),
        ),
      }
    }

  it('after the last kata, the first one left unfinished (a failing check, or a stub)', async () => {
    const asked: string[][] = []
    const dir = checkout({ '01-a': true, '02-b': true, '03-c': false, '04-d': true })
    expect(await nextUnfinished('04-d', dir, runner(['01-a'], asked))).toBe('02-b')
    expect(asked).toEqual([['01-a', '02-b']])
    expect(await nextUnfinished('04-d', dir, runner(['01-a', '02-b'], []))).toBe('03-c')
  })

  it('the next kata with a stub left, without running it; none when every kata is done', async () => {
    const asked: string[][] = []
    const dir = checkout({ '01-a': true, '02-b': false, '03-c': false, '04-d': true })
    expect(await nextUnfinished('01-a', dir, runner([], asked))).toBe('02-b')
    expect(asked).toEqual([])
    const done = checkout({ '01-a': true, '02-b': true, '03-c': true, '04-d': true })
    expect(await nextUnfinished('02-b', done, runner(katas, []))).toBeUndefined()
  })
})
