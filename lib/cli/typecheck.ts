/**
 * `npm test`'s type check: the whole project except the learner's own files in katas/NN-topic/,
 * so that `npm test` stays green whatever state the learner's katas are in. The committed stubs
 * are type-checked with everything else by `npm run typecheck` (plain `tsc --noEmit`), which
 * `npm run verify:katas` and CI run; the learner's type errors show in `npm run check`,
 * `npm run watch` and `npm run grade`.
 */
import { pathToFileURL } from 'node:url'
import { projectDiagnostics } from '../course/typecheck.ts'

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const diagnostics = projectDiagnostics()
  for (const d of diagnostics) console.error(d)
  if (diagnostics.length > 0) console.error(`\n${diagnostics.length} type error${diagnostics.length === 1 ? '' : 's'}`)
  process.exit(diagnostics.length === 0 ? 0 : 1)
}
