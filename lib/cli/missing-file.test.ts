/**
 * With a kata's own file deleted, every kata tool says which file is missing and how to bring it
 * back, and exits 3 (the README's table): not 4 ("does not load"), not 0 ("no hint needed").
 */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT } from '../course/errors.ts'

const repo = resolve(import.meta.dirname, '..', '..')
const kata = '01-initial-loss'
// a checkout whose kata 01 has its README, hints and checks but no kata.ts
const root = mkdtempSync(join(tmpdir(), 'missing-kata-'))
mkdirSync(join(root, 'katas', kata), { recursive: true })
for (const f of ['README.md', 'hints.md', 'kata.test.ts'])
  copyFileSync(join(repo, 'katas', kata, f), join(root, 'katas', kata, f))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const run = (tool: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'lib', 'cli', `${tool}.ts`), ...args], {
      cwd: repo,
      env: { ...process.env, KATA_TOOLS_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => done({ code, stdout, stderr }))
  })

describe('a kata whose kata.ts is missing', () => {
  it.each([
    ['check', ['01']],
    ['watch', ['01']],
    ['grade', ['01']],
    ['grade', ['--json', '01']],
    ['hint', ['01']],
    ['report', ['01']],
  ])(
    '%s %s exits 3 and names the file',
    async (tool, args) => {
      const r = await run(tool, args as string[])
      expect(r.code, `${tool}: ${r.stdout}${r.stderr}`).toBe(EXIT.noSuchKata)
      expect(r.stderr).toContain(`katas/${kata}/kata.ts does not exist`)
      expect(r.stderr).toContain(`git checkout -- katas/${kata}/kata.ts`)
      expect(r.stdout).not.toMatch(/no hint needed|do not load/)
    },
    30_000,
  )
})
