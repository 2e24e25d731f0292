/**
 * The full output of a kata's run (`--all`, or the `a` key in watch): every failing check with
 * its whole message, for when the one-check screen is not enough.
 */
import { kataScreen } from './screen.ts'
import { stripAnsi } from './errors.ts'
import type { KataRun } from './score.ts'

export const formatFullRun = (run: KataRun): string => {
  const lines = [`Kata ${run.kata}: every check`, '']
  for (const e of run.loadErrors) lines.push(`✗ the tests do not load: ${stripAnsi(e)}`, '')
  if (run.typeError !== undefined) lines.push(`✗ type error: ${run.typeError}`, '')
  for (const c of run.checks) {
    lines.push(`${c.state === 'passed' ? '✓' : c.state === 'skipped' ? '-' : '✗'} ${c.name}`)
    if (c.state === 'failed') {
      for (const m of c.messages)
        lines.push(
          ...stripAnsi(m)
            .split('\n')
            .map((l) => `    ${l}`),
        )
      if (c.where !== undefined) lines.push(`    at ${c.where}`)
    }
  }
  const summary = kataScreen({ run, functions: [] }).text.split('\n')[0]
  return [...lines, '', summary].join('\n')
}
