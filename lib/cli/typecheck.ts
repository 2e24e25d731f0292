/**
 * `npm test`'s type check: the whole project except the learner's own files in katas/NN-topic/,
 * so that `npm test` stays green whatever state the learner's katas are in. The committed stubs
 * are type-checked with everything else by `npm run typecheck` (plain `tsc --noEmit`), which
 * `npm run verify:katas` and CI run; the learner's type errors show in `npm run check`,
 * `npm run watch` and `npm run grade`.
 */
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectDiagnostics } from '../course/typecheck.ts'

/**
 * Where the incremental check keeps what it knows between runs: node_modules/.cache, one file per
 * checkout (a node_modules shared by several worktrees serves each its own). `npm ci` starts it over.
 */
const projectRoot = resolve(import.meta.dirname, '..', '..')
const buildInfo = join(
  projectRoot,
  'node_modules',
  '.cache',
  'typecheck',
  `${createHash('sha256').update(projectRoot).digest('hex').slice(0, 16)}.tsbuildinfo`,
)

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const diagnostics = projectDiagnostics(projectRoot, buildInfo)
  for (const d of diagnostics) console.error(d)
  if (diagnostics.length > 0) console.error(`\n${diagnostics.length} type error${diagnostics.length === 1 ? '' : 's'}`)
  process.exit(diagnostics.length === 0 ? 0 : 1)
}
