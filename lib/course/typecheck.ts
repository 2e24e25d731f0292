/**
 * Type-checking the learner's katas with the TypeScript compiler: `npm test` leaves the learner's
 * files out of its type check (so it stays green whatever state they are in), and the kata tools
 * check them here instead. A kata with a type error is not done.
 *
 * A checker keeps its last program, so checking again after a save re-reads only what changed.
 */
import { dirname, relative, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import ts from 'typescript'
import { writeFileAtomic } from '../engine/files.ts'
import { kataOf } from './catalogue.ts'

const projectRoot = resolve(import.meta.dirname, '..', '..')

/** The first type error of a kata: where (relative to the checkout) and what. */
export interface KataTypeError {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

export const formatTypeError = (e: KataTypeError): string => `${e.file}:${e.line}:${e.column}: ${e.message}`

const compilerOptions = (root: string): ts.CompilerOptions => {
  const config = ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, ts.sys, root)
  // the learner's kata.ts reads only lib/: node's and vitest's types are not needed, and slow to load
  return { ...parsed.options, noEmit: true, incremental: false, types: [] }
}

/**
 * Diagnostics of a type annotation that refers to itself through the file importing its own types
 * (circular, and the implicit `any` of the parameters it should have typed).
 */
const CIRCULAR = [2502, 7006, 7022, 7023, 7024, 7031]

const importsItself = (source: ts.SourceFile): boolean =>
  source.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      s.importClause?.isTypeOnly === true &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      resolve(dirname(source.fileName), s.moduleSpecifier.text) === resolve(source.fileName),
  )

/** True for a diagnostic of a project file (not the learner's), which the learner cannot fix. */
export const isLearnerFile = (root: string, file: string): boolean => {
  const rel = relative(root, file).replaceAll('\\', '/')
  return /^katas\/\d\d-[a-z0-9-]+\//.test(rel)
}

/**
 * A type checker for the learner's katas. `check(katas)` returns, for each kata with a type error
 * in its kata.ts (or a file of its folder that kata.ts imports), the first one.
 */
export const kataTypeChecker = (root: string = projectRoot) => {
  const options = compilerOptions(root)
  const host = ts.createCompilerHost(options)
  let program: ts.Program | undefined
  return (katas: readonly string[]): Map<string, KataTypeError> => {
    const roots = katas.map((k) => resolve(root, 'katas', k, 'kata.ts'))
    program = ts.createProgram({
      rootNames: roots.filter((f) => ts.sys.fileExists(f)),
      options,
      host,
      oldProgram: program,
    })
    const found = new Map<string, KataTypeError>()
    for (const source of program.getSourceFiles()) {
      const kata = kataOf(source.fileName)
      if (kata === undefined || !katas.includes(kata) || found.has(kata) || !isLearnerFile(root, source.fileName))
        continue
      // the reference answer copied into katas/ takes its types from `import type * as Kata from
      // '../../katas/NN-topic/kata.ts'`, which from there is the file itself: those annotations are
      // circular (TS2502) but mean the stub's types, so they are not the learner's type error
      const selfImport = importsItself(source)
      const diagnostic = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].find(
        (d) => !(selfImport && CIRCULAR.includes(d.code)),
      )
      if (diagnostic === undefined) continue
      const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      found.set(kata, {
        file: relative(root, source.fileName).replaceAll('\\', '/'),
        line: line + 1,
        column: character + 1,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').split(/\s*\n\s*/)[0],
      })
    }
    return found
  }
}

/**
 * The project's type check without the learner's files (`npm test`): every diagnostic of the
 * project, except those in katas/NN-topic/ (the learner's own; `npm run verify:katas` and CI check
 * the committed stubs with the full `tsc --noEmit`). Returns the diagnostics as tsc prints them.
 *
 * With `buildInfo`, the check is incremental as `tsc --incremental` is: the file keeps each source
 * file's hash and diagnostics, and the next check re-checks only the files that changed and those
 * whose imports' types did. Without it (or when the file is missing or stale), every file is checked.
 */
export const projectDiagnostics = (root: string = projectRoot, buildInfo?: string): string[] => {
  const config = ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, ts.sys, root)
  const rootNames = parsed.fileNames.filter((f) => !isLearnerFile(root, f))
  let found: readonly ts.Diagnostic[]
  if (buildInfo === undefined) {
    found = ts.getPreEmitDiagnostics(ts.createProgram({ rootNames, options: parsed.options }))
  } else {
    const builder = ts.createIncrementalProgram({
      rootNames,
      options: { ...parsed.options, incremental: true, tsBuildInfoFile: buildInfo },
    })
    // what getPreEmitDiagnostics gathers, asked of the builder so that unchanged files answer from the cache
    found = ts.sortAndDeduplicateDiagnostics([
      ...builder.getConfigFileParsingDiagnostics(),
      ...builder.getOptionsDiagnostics(),
      ...builder.getSyntacticDiagnostics(),
      ...builder.getGlobalDiagnostics(),
      ...builder.getSemanticDiagnostics(),
    ])
    // with noEmit, emitting writes the build info alone
    builder.emit(undefined, (file, text) => writeFileAtomic(file, text))
  }
  const diagnostics = found.filter((d) => d.file === undefined || !isLearnerFile(root, d.file.fileName))
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (d.file === undefined) return `error TS${d.code}: ${text}`
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
    return `${relative(root, d.file.fileName)}(${line + 1},${character + 1}): error TS${d.code}: ${text}`
  })
}

/**
 * The same checker on a worker thread (typecheck-worker.ts): `check(kata)` answers with the kata's
 * first type error, or undefined, without blocking the caller's thread. One check at a time.
 */
export const kataTypeCheckerThread = (root: string = projectRoot) => {
  const worker = new Worker(new URL('../engine/worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./typecheck-worker.ts', import.meta.url).href, root },
  })
  worker.unref()
  let queue: Promise<unknown> = Promise.resolve()
  const check = (kata: string): Promise<KataTypeError | undefined> => {
    const answer = queue.then(
      () =>
        new Promise<KataTypeError | undefined>((done, fail) => {
          const onMessage = (m: KataTypeError | null) => {
            worker.off('error', fail)
            done(m ?? undefined)
          }
          worker.once('message', onMessage)
          worker.once('error', fail)
          worker.postMessage(kata)
        }),
    )
    queue = answer.catch(() => undefined)
    return answer
  }
  return { check, close: () => worker.terminate() }
}
