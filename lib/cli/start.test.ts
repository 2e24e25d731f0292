import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Runs `npm start` as a person would (through tsx), with the given flags. */
const start = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/start.ts', ...args], { encoding: 'utf8', timeout: 120_000 })

const withoutTimes = (json: string) => JSON.parse(json, (key, value) => (key === 'seconds' ? undefined : value))

describe('npm start', () => {
  it('the same seed writes the same results.json (wall times aside) and the reports index', () => {
    const a = mkdtempSync(join(tmpdir(), 'start-a-')),
      b = mkdtempSync(join(tmpdir(), 'start-b-'))
    const flags = ['--steps', '40', '--only', 'naive,deep-tanh', '--seed', '5']
    const ra = start(...flags, '--out', a),
      rb = start(...flags, '--out', b, '--workers', '1')
    expect(ra.status, ra.stderr).toBe(0)
    expect(rb.status, rb.stderr).toBe(0)
    const ja = readFileSync(join(a, 'results.json'), 'utf8'),
      jb = readFileSync(join(b, 'results.json'), 'utf8')
    expect(withoutTimes(ja)).toEqual(withoutTimes(jb))
    const results = JSON.parse(ja)
    expect(results.experiments.map((e: { name: string }) => e.name)).toEqual(['naive', 'deep-tanh'])
    expect(Object.keys(results.experiments[0]).sort()).toEqual([
      'initLoss',
      'lecture',
      'name',
      'parameters',
      'samples',
      'seconds',
      'steps',
      'train',
      'val',
    ])
    expect(existsSync(join(a, 'index.html'))).toBe(true)
    expect(ra.stdout).toMatch(/experiment\s+params\s+init loss \(lecture\)/)
    expect(ra.stdout).toContain('expected initial loss of a uniform guess: ln 27 = 3.2958')
  })
  it('a bad flag prints the usage and exits with status 2', () => {
    const r = start('--stpes', '10')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("npm start: unknown option '--stpes'")
    expect(r.stderr).toContain('usage: npm start -- [options]')
  })
  it('a bad names file says which line and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-bad-'))
    const file = join(dir, 'names.txt')
    writeFileSync(file, 'emma\nOlivia\n')
    const r = start('--data', file, '--out', join(dir, 'out'))
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/names\.txt:2: .*'O'/)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })
})
