/**
 * Type-checking the learner's katas with the TypeScript compiler: `npm test` leaves the learner's
 * files out of its type check (so it stays green whatever state they are in), and the kata tools
 * check them here instead, against the types each kata's types.ts gives its functions. A kata
 * with a type error is not done.
 *
 * A checker keeps its last program, so checking again after a save re-reads only what changed.
 */
import { basename, dirname, relative, resolve } from 'node:path'
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

const read = (file: string): string => ts.sys.readFile(file) ?? ''

/**
 * The course's own files of a kata folder: its tests, its types.ts and every file of the folder
 * they import (feedback.ts, fixtures), kata.ts aside. Everything else there is the learner's.
 */
const courseFiles = (dir: string): Set<string> => {
  const found = new Set<string>()
  const visit = (file: string): void => {
    if (found.has(file) || !ts.sys.fileExists(file) || basename(file) === 'kata.ts' || dirname(file) !== dir) return
    found.add(file)
    for (const i of ts.preProcessFile(read(file), true, false).importedFiles)
      if (i.fileName.startsWith('.')) visit(resolve(dir, i.fileName))
  }
  for (const f of ts.sys.readDirectory(dir, ['.ts'], undefined, undefined, 1))
    if (f.endsWith('.test.ts') || basename(f) === 'types.ts') visit(resolve(f))
  return found
}

/**
 * Whether a file is the learner's: katas/NN-topic/kata.ts and whatever else they put in the kata's
 * folder, but not the course's files there (tests, types.ts, feedback.ts). One per checkout.
 */
export const learnerFiles = (root: string): ((file: string) => boolean) => {
  const course = new Map<string, Set<string>>()
  return (file) => {
    const rel = relative(root, file).replaceAll('\\', '/')
    const kata = /^katas\/(\d\d-[a-z0-9-]+)\//.exec(rel)?.[1]
    if (kata === undefined) return false
    const dir = resolve(root, 'katas', kata)
    if (!course.has(kata)) course.set(kata, courseFiles(dir))
    return !(course.get(kata) as Set<string>).has(resolve(file))
  }
}

/** The functions a kata's types.ts gives a type (the members of its `interface Kata`), in order. */
export const kataInterface = (typesFile: string): string[] => {
  if (!ts.sys.fileExists(typesFile)) return []
  const source = ts.createSourceFile(typesFile, read(typesFile), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const kata = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'Kata')
  if (kata === undefined || !ts.isInterfaceDeclaration(kata)) return []
  return kata.members.flatMap((m) => (m.name !== undefined && ts.isIdentifier(m.name) ? [m.name.text] : []))
}

/** The file the learner's type check adds to a kata: each of kata.ts's functions given the type types.ts says. */
const CONFORMS = '.kata-conforms.ts'

const conformsSource = (functions: readonly string[]): string =>
  [
    "import type { Kata } from './types.ts'",
    "import * as yours from './kata.ts'",
    ...functions.map((f) => `export const ${f}: Kata['${f}'] = yours.${f}`),
    '',
  ].join('\n')

/** Where a source declares the export `name` (its statement's first line), or the file's start. */
const declarationIn = (source: ts.SourceFile, name: string): number => {
  for (const s of source.statements) {
    const names = ts.isVariableStatement(s)
      ? s.declarationList.declarations.map((d) => d.name.getText(source))
      : (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name !== undefined
        ? [s.name.text]
        : []
    if (names.includes(name)) return s.getStart(source)
  }
  return 0
}

/**
 * A type checker for the learner's katas. `check(katas)` returns, for each kata with a type error
 * of the learner's, the first: in kata.ts or a file of theirs it imports, else the first function
 * of kata.ts that does not have the type katas/NN-topic/types.ts gives it (a changed signature, a
 * function missing). Errors in the course's own files are never the learner's and never reported.
 */
export const kataTypeChecker = (root: string = projectRoot) => {
  const options = compilerOptions(root)
  const host = ts.createCompilerHost(options)
  const isLearners = learnerFiles(root)
  const virtual = new Map<string, ts.SourceFile>()
  const { getSourceFile, fileExists, readFile } = host
  host.getSourceFile = (file, language, ...rest) => virtual.get(resolve(file)) ?? getSourceFile(file, language, ...rest)
  host.fileExists = (file) => virtual.has(resolve(file)) || fileExists(file)
  host.readFile = (file) => virtual.get(resolve(file))?.text ?? readFile(file)
  let program: ts.Program | undefined
  const at = (source: ts.SourceFile, position: number, message: string): KataTypeError => {
    const { line, character } = source.getLineAndCharacterOfPosition(position)
    return {
      file: relative(root, source.fileName).replaceAll('\\', '/'),
      line: line + 1,
      column: character + 1,
      message,
    }
  }
  return (katas: readonly string[]): Map<string, KataTypeError> => {
    const roots: string[] = []
    const functions = new Map<string, string[]>()
    for (const kata of katas) {
      const file = resolve(root, 'katas', kata, 'kata.ts')
      if (!ts.sys.fileExists(file)) continue
      roots.push(file)
      const fns = kataInterface(resolve(root, 'katas', kata, 'types.ts'))
      if (fns.length === 0) continue
      functions.set(kata, fns)
      const conforms = resolve(root, 'katas', kata, CONFORMS)
      const text = conformsSource(fns)
      if (virtual.get(conforms)?.text !== text)
        virtual.set(conforms, ts.createSourceFile(conforms, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS))
      roots.push(conforms)
    }
    program = ts.createProgram({ rootNames: roots, options, host, oldProgram: program })
    const found = new Map<string, KataTypeError>()
    const diagnosticsOf = (source: ts.SourceFile) => [
      ...(program as ts.Program).getSyntacticDiagnostics(source),
      ...(program as ts.Program).getSemanticDiagnostics(source),
    ]
    for (const source of program.getSourceFiles()) {
      const kata = kataOf(source.fileName)
      if (kata === undefined || !katas.includes(kata) || found.has(kata) || !isLearners(source.fileName)) continue
      if (basename(source.fileName) === CONFORMS) continue
      const diagnostic = diagnosticsOf(source)[0]
      if (diagnostic === undefined) continue
      found.set(
        kata,
        at(
          source,
          diagnostic.start ?? 0,
          ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').split(/\s*\n\s*/)[0],
        ),
      )
    }
    // then each function against its type in types.ts, reported where the learner declares it
    for (const [kata, fns] of functions) {
      if (found.has(kata)) continue
      const conforms = program.getSourceFile(resolve(root, 'katas', kata, CONFORMS))
      const yours = program.getSourceFile(resolve(root, 'katas', kata, 'kata.ts'))
      if (conforms === undefined || yours === undefined) continue
      const diagnostic = diagnosticsOf(conforms)[0]
      if (diagnostic === undefined) continue
      const fn = fns[conforms.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - 2]
      const why = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ')
      found.set(
        kata,
        fn === undefined || diagnostic.code === 2306
          ? at(
              yours,
              0,
              `katas/${kata}/kata.ts exports none of the kata's functions (${diagnostic.code === 2306 ? 'it is not a module' : why})`,
            )
          : diagnostic.code === 2339
            ? at(yours, 0, `${fn} is missing: katas/${kata}/types.ts says kata.ts exports it`)
            : at(
                yours,
                declarationIn(yours, fn),
                `${fn} does not have the type katas/${kata}/types.ts gives it: ${why}`,
              ),
      )
    }
    return found
  }
}

/**
 * A compiler host on which a course file of katas/NN-topic/ (a test, feedback.ts) that imports
 * './kata.ts' gets the reference answer, solutions/NN-topic/kata.ts, as the kata-target plugin of
 * vitest.config.ts gives `npm test` its tests: the learner's kata.ts never enters the program.
 */
const solutionsHost = (
  root: string,
  options: ts.CompilerOptions,
  isLearners: (file: string) => boolean,
  incremental: boolean,
): ts.CompilerHost => {
  const host = incremental ? ts.createIncrementalCompilerHost(options) : ts.createCompilerHost(options)
  host.resolveModuleNameLiterals = (literals, containingFile, _redirected, compilerOptions) =>
    literals.map((literal) => {
      const kata = kataOf(containingFile)
      if (kata !== undefined && literal.text === './kata.ts' && !isLearners(containingFile))
        return {
          resolvedModule: {
            resolvedFileName: resolve(root, 'solutions', kata, 'kata.ts'),
            extension: ts.Extension.Ts,
            isExternalLibraryImport: false,
          },
        }
      return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host)
    })
  return host
}

/**
 * The project's type check without the learner's files (`npm test`): every file of the project,
 * the kata tests, types.ts and feedback.ts included, with the reference answers where those import
 * the learner's kata.ts (solutionsHost), so that no state of the learner's files can fail it.
 * `npm run verify:katas` and CI check the committed stubs with the full `tsc --noEmit`. Returns
 * the diagnostics as tsc prints them.
 *
 * With `buildInfo`, the check is incremental as `tsc --incremental` is: the file keeps each source
 * file's hash and diagnostics, and the next check re-checks only the files that changed and those
 * whose imports' types did. Without it (or when the file is missing or stale), every file is checked.
 */
export const projectDiagnostics = (root: string = projectRoot, buildInfo?: string): string[] => {
  const config = ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, ts.sys, root)
  const isLearners = learnerFiles(root)
  const rootNames = parsed.fileNames.filter((f) => !isLearners(f))
  let found: readonly ts.Diagnostic[]
  if (buildInfo === undefined) {
    const host = solutionsHost(root, parsed.options, isLearners, false)
    found = ts.getPreEmitDiagnostics(ts.createProgram({ rootNames, options: parsed.options, host }))
  } else {
    const options = { ...parsed.options, incremental: true, tsBuildInfoFile: buildInfo }
    const builder = ts.createIncrementalProgram({
      rootNames,
      options,
      host: solutionsHost(root, options, isLearners, true),
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
  const diagnostics = found.filter((d) => d.file === undefined || !isLearners(d.file.fileName))
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
