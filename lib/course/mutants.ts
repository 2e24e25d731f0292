/**
 * A mutant as a whole learner file. A mutant (solutions/NN-topic/mutants/NAME.ts) re-exports the
 * reference answer and overrides one function with a classic mistake, so the answer's other
 * functions still call their own correct copy. To judge the mistake where the learner's other
 * functions use it, verify:katas also runs the file a learner making that mistake would have: the
 * answer's source with each overridden declaration renamed (`crossEntropy` becomes
 * `crossEntropy__reference`, no longer exported) and the mutant's own declarations appended, so
 * that every call in the file reaches the mistake. The mutant's `import { x as y } from '../kata.ts'`
 * become `const y = x__reference` (or `x`), its other imports are re-pathed to the answer's folder,
 * and names that would clash are renamed (pure; tested in mutants.test.ts).
 */
import { dirname, relative, resolve } from 'node:path'
import ts from 'typescript'

const REFERENCE = '__reference'
const MUTANT = '__mutant'

const parse = (name: string, text: string): ts.SourceFile =>
  ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind)

const exportKeyword = (node: ts.Node): ts.Node | undefined =>
  ts.canHaveModifiers(node)
    ? (ts.getModifiers(node) ?? []).find((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    : undefined

/** The value names a top-level statement declares (consts, functions, classes, enums). */
const declaredNames = (s: ts.Statement): ts.Identifier[] => {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) return [s.name]
  if (ts.isVariableStatement(s))
    return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name] : []))
  return []
}

/** Local names an import binds, with the name imported (undefined for a namespace or default). */
const importBindings = (s: ts.ImportDeclaration): { local: string; imported?: string; typeOnly: boolean }[] => {
  const clause = s.importClause
  if (clause === undefined) return []
  const all = clause.isTypeOnly
  const out: { local: string; imported?: string; typeOnly: boolean }[] = []
  if (clause.name) out.push({ local: clause.name.text, imported: 'default', typeOnly: all })
  const b = clause.namedBindings
  if (b && ts.isNamespaceImport(b)) out.push({ local: b.name.text, typeOnly: all })
  if (b && ts.isNamedImports(b))
    for (const e of b.elements)
      out.push({ local: e.name.text, imported: (e.propertyName ?? e.name).text, typeOnly: all || e.isTypeOnly })
  return out
}

const specifierOf = (s: ts.ImportDeclaration | ts.ExportDeclaration): string | undefined =>
  s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

const applyEdits = (text: string, edits: readonly Edit[]): string =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text)

/** Renames every identifier `from` of a node's text to `to`, leaving property names alone. */
const renameIn = (node: ts.Node, source: ts.SourceFile, renames: ReadonlyMap<string, string>): string => {
  const edits: Edit[] = []
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && renames.has(n.text)) {
      const p = n.parent
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isQualifiedName(p) && p.right === n) ||
        ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
      const to = renames.get(n.text)!
      if (ts.isShorthandPropertyAssignment(p))
        edits.push({ start: n.getStart(source), end: n.getEnd(), text: `${n.text}: ${to}` })
      else if (!isPropertyName) edits.push({ start: n.getStart(source), end: n.getEnd(), text: to })
    }
    ts.forEachChild(n, visit)
  }
  visit(node)
  const start = node.getFullStart()
  return applyEdits(
    source.text.slice(start, node.getEnd()),
    edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start })),
  )
}

export interface WholeFileInput {
  /** The reference answer's source and path (solutions/NN-topic/kata.ts). */
  readonly solution: string
  readonly solutionPath: string
  /** The mutant's source and path (solutions/NN-topic/mutants/NAME.ts). */
  readonly mutant: string
  readonly mutantPath: string
}

export interface WholeFile {
  readonly source: string
  /** The functions of the answer the mutant replaces. */
  readonly overridden: readonly string[]
}

/** The learner file that holds the answer with the mutant's mistake in it. */
export const wholeLearnerFile = ({ solution, solutionPath, mutant, mutantPath }: WholeFileInput): WholeFile => {
  const sol = parse(solutionPath, solution)
  const mut = parse(mutantPath, mutant)
  const kataModule = resolve(dirname(mutantPath), '..', 'kata.ts')
  const resolveFrom = (file: string, spec: string): string =>
    spec.startsWith('.') ? resolve(dirname(file), spec) : spec
  const isKata = (spec: string): boolean =>
    resolveFrom(mutantPath, spec) === resolve(solutionPath) || resolveFrom(mutantPath, spec) === kataModule

  // what the answer declares and imports at the top level
  const solutionExports = new Set<string>()
  const solutionNames = new Set<string>()
  const solutionImports = new Map<string, string>() // local name -> "module#imported"
  for (const s of sol.statements) {
    for (const id of declaredNames(s)) {
      solutionNames.add(id.text)
      if (hasModifier(s, ts.SyntaxKind.ExportKeyword)) solutionExports.add(id.text)
    }
    if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) solutionNames.add(s.name.text)
    if (ts.isImportDeclaration(s)) {
      const spec = specifierOf(s)!
      for (const b of importBindings(s)) {
        solutionNames.add(b.local)
        solutionImports.set(b.local, `${resolveFrom(solutionPath, spec)}#${b.imported ?? '*'}`)
      }
    }
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause))
      for (const e of s.exportClause.elements) solutionExports.add(e.name.text)
  }

  // the mutant: which exports replace the answer's, which names would clash
  const overridden: string[] = []
  const renames = new Map<string, string>()
  for (const s of mut.statements)
    for (const id of declaredNames(s)) {
      if (hasModifier(s, ts.SyntaxKind.ExportKeyword) && solutionExports.has(id.text)) overridden.push(id.text)
      else if (solutionNames.has(id.text)) renames.set(id.text, `${id.text}${MUTANT}`)
    }

  const prelude: string[] = []
  const imports: string[] = []
  const body: string[] = []
  for (const s of mut.statements) {
    if (ts.isExportDeclaration(s)) {
      const spec = specifierOf(s)
      if (spec !== undefined && isKata(spec) && s.exportClause === undefined) continue // export * from '../kata.ts'
      throw new Error(`${mutantPath}: unsupported export declaration: ${s.getText(mut)}`)
    }
    if (ts.isImportDeclaration(s)) {
      const spec = specifierOf(s)!
      const bindings = importBindings(s)
      if (isKata(spec)) {
        for (const b of bindings) {
          if (b.typeOnly) continue
          if (b.imported === undefined || b.imported === 'default')
            throw new Error(
              `${mutantPath}: import the answer's functions by name from '../kata.ts', not ${s.getText(mut)}`,
            )
          if (overridden.includes(b.imported)) prelude.push(`const ${b.local} = ${b.imported}${REFERENCE}`)
          else if (b.local !== b.imported) prelude.push(`const ${b.local} = ${b.imported}`)
        }
        continue
      }
      const target = resolveFrom(mutantPath, spec)
      const repathed = spec.startsWith('.')
        ? (() => {
            const r = relative(dirname(solutionPath), target).replaceAll('\\', '/')
            return r.startsWith('.') ? r : `./${r}`
          })()
        : spec
      // a name the answer already imports from the same place is the same binding: drop it
      const kept = bindings.filter((b) => solutionImports.get(b.local) !== `${target}#${b.imported ?? '*'}`)
      for (const b of kept) if (solutionNames.has(b.local)) renames.set(b.local, `${b.local}${MUTANT}`)
      if (kept.length === 0) continue
      const clause = s.importClause!
      const typeOnly = clause.isTypeOnly ? 'type ' : ''
      const named = kept.filter((b) => b.imported !== undefined && b.imported !== 'default')
      const ns = kept.find((b) => b.imported === undefined)
      const def = kept.find((b) => b.imported === 'default')
      const name = (b: { local: string }) => renames.get(b.local) ?? b.local
      const parts = [
        ...(def ? [name(def)] : []),
        ...(ns ? [`* as ${name(ns)}`] : []),
        ...(named.length > 0
          ? [
              `{ ${named.map((b) => `${b.typeOnly && !clause.isTypeOnly ? 'type ' : ''}${b.imported === name(b) ? b.imported : `${b.imported} as ${name(b)}`}`).join(', ')} }`,
            ]
          : []),
      ]
      imports.push(`import ${typeOnly}${parts.join(', ')} from '${repathed}'`)
      continue
    }
    body.push(renameIn(s, mut, renames).trim())
  }

  // the answer, its overridden declarations renamed and no longer exported
  const edits: Edit[] = []
  const reExported: string[] = []
  for (const s of sol.statements) {
    const ids = declaredNames(s).filter((id) => overridden.includes(id.text))
    if (ids.length > 0) {
      const keyword = exportKeyword(s)
      if (keyword !== undefined) {
        edits.push({ start: keyword.getStart(sol), end: keyword.getEnd() + 1, text: '' })
        for (const id of declaredNames(s)) if (!overridden.includes(id.text)) reExported.push(id.text)
      }
      for (const id of ids) edits.push({ start: id.getStart(sol), end: id.getEnd(), text: `${id.text}${REFERENCE}` })
    }
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) && !s.moduleSpecifier) {
      const kept = s.exportClause.elements.filter((e) => !overridden.includes(e.name.text))
      edits.push({
        start: s.getStart(sol),
        end: s.getEnd(),
        text: kept.length === 0 ? '' : `export { ${kept.map((e) => e.getText(sol)).join(', ')} }`,
      })
    }
  }
  const missing = [...new Set(overridden)].filter((o) => !solutionNames.has(o))
  if (missing.length > 0)
    throw new Error(`${mutantPath}: overrides ${missing.join(', ')}, which the answer does not declare`)
  const source = [
    applyEdits(solution, edits).trimEnd(),
    ...(reExported.length > 0 ? [`export { ${reExported.join(', ')} }`] : []),
    '',
    `// ---- ${relative(dirname(solutionPath), mutantPath).replaceAll('\\', '/')}: the mistake, where the other functions call it`,
    ...imports,
    ...prelude,
    ...body,
    '',
  ].join('\n')
  return { source, overridden: [...new Set(overridden)] }
}
