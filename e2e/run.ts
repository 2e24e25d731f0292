/**
 * `npm run test:e2e`: writes the reports with the real main job (`npm start`'s CLI) into a
 * temporary folder, opens every page in Debian's headless Chromium (see check.ts), saves a
 * screenshot of each under reports/screenshots/, prints a line per page and `N passed, M failed`,
 * and exits non-zero on any failure. `npm run test:e2e -- --lab` builds and checks the lab alone
 * (no training run, no other page): its timings, in a minute or two.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildLab } from '../lib/report/lab/build.ts'
import { checkReports, formatResult, type PageResult } from './check.ts'
import { checkLab } from './lab.ts'

const root = resolve(import.meta.dirname, '..')
const steps = process.env.E2E_STEPS ?? '1000'
const out = mkdtempSync(join(tmpdir(), 'e2e-reports-'))
const screenshots = join(root, 'reports', 'screenshots')

const report = (results: readonly PageResult[]): number => {
  for (const r of results) console.log(formatResult(r))
  const failed = results.filter((r) => r.problems.length > 0).length
  console.log(`screenshots in ${screenshots}`)
  console.log(`${results.length - failed} passed, ${failed} failed`)
  return failed === 0 ? 0 : 1
}

/** The lab alone, built as npm start builds it. */
const labOnly = async (): Promise<number> => {
  const lab = await buildLab()
  writeFileSync(join(out, lab.file), lab.content)
  console.log(`lab built (${(lab.content.length / 1024).toFixed(0)} KB); checking it in Chromium`)
  return report([await checkLab(join(out, lab.file), join(screenshots, 'lab'))])
}

const main = async (): Promise<number> => {
  if (process.argv.includes('--lab')) return labOnly()
  console.log(`writing the reports: tsx lib/cli/start.ts --steps ${steps} --out ${out}`)
  const started = performance.now()
  const job = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/start.ts', '--steps', steps, '--out', out], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  })
  if (job.status !== 0) {
    console.log(job.stdout)
    console.error(job.stderr)
    console.log(`the main job failed (status ${job.status ?? job.signal}): no reports to check`)
    console.log('0 passed, 1 failed')
    return 1
  }
  console.log(`reports written in ${((performance.now() - started) / 1000).toFixed(1)}s; checking them in Chromium`)
  // every kata's page, drawn from the reference answers beside the report (as a learner's sit in reports/katas)
  const kataDir = join(out, 'katas')
  const katas = readdirSync(join(root, 'katas')).filter((k) => /^\d\d-[a-z0-9-]+$/.test(k))
  const drawn = performance.now()
  const undrawn = katas.flatMap((kata) => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'lib/cli/report.ts', kata, '--solutions', '--out', kataDir],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 300_000,
      },
    )
    return r.status === 0
      ? []
      : [{ file: `katas/${kata}.html`, problems: [`report failed: ${r.stderr.trim().split('\n')[0]}`], notes: [] }]
  })
  console.log(`${katas.length} kata pages drawn in ${((performance.now() - drawn) / 1000).toFixed(1)}s`)
  return report([
    ...(await checkReports(out, screenshots)),
    ...(await checkReports(kataDir, join(screenshots, 'katas'))).map((r) => ({ ...r, file: `katas/${r.file}` })),
    ...undrawn,
    await checkLab(join(out, 'lab.html'), join(screenshots, 'lab')),
  ])
}

main()
  .then((code) => {
    rmSync(out, { recursive: true, force: true })
    process.exitCode = code
  })
  .catch((e: unknown) => {
    console.error(e)
    console.log('0 passed, 1 failed')
    process.exitCode = 1
  })
