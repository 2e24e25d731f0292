/**
 * The kata catalogue: which katas there are (every folder katas/NN-topic/, so a new kata needs no
 * list to edit), how a command-line argument names one, and what a kata.ts declares (its exported
 * functions in file order, the ones still stubs).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

/** A kata's folder name: NN-topic, as the kata-target plugin of vitest.config.ts accepts it. */
export const KATA_NAME = /^\d\d-[a-z0-9-]+$/

/** Kata directory names among `entries`, in order. */
export const kataNames = (entries: readonly string[]): string[] => entries.filter((e) => KATA_NAME.test(e)).sort()

/** The katas of a checkout, from its katas/ directory. */
export const listKatas = (root: string): string[] => {
  const dir = join(root, 'katas')
  if (!existsSync(dir)) return []
  return kataNames(readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory()))
}

/** The kata an argument names: "3", "03", "03-kaiming" (or any unambiguous prefix of it). */
export const resolveKata = (katas: readonly string[], arg: string): string | undefined => {
  const a = arg.trim().toLowerCase()
  const number = /^\d{1,2}$/.test(a) ? a.padStart(2, '0') : undefined
  if (number !== undefined) return katas.find((k) => k.startsWith(`${number}-`))
  const exact = katas.find((k) => k === a)
  if (exact !== undefined) return exact
  const prefixed = katas.filter((k) => k.startsWith(a))
  return prefixed.length === 1 ? prefixed[0] : undefined
}

/** The katas the filters select ("3", "03", "03-kaiming" or a prefix of the name); none selects all. */
export const selectKatas = (katas: readonly string[], filters: readonly string[]): string[] => {
  if (filters.length === 0) return [...katas]
  const matches = (kata: string, filter: string): boolean => {
    const f = filter.trim().toLowerCase()
    return /^\d{1,2}$/.test(f) ? kata.startsWith(`${f.padStart(2, '0')}-`) : kata.startsWith(f)
  }
  return katas.filter((k) => filters.some((f) => matches(k, f)))
}

/** "the katas are 01-initial-loss, 02-saturation, ...": the list an unknown-kata message ends with. */
export const describeKatas = (katas: readonly string[]): string =>
  katas.length === 0 ? 'there are no katas in katas/' : `the katas are:\n${katas.map((k) => `  ${k}`).join('\n')}`

export { kataNumber } from '../report/parts/table.ts'

/** The kata a file path lies in (katas/NN-topic/...), if any. */
export const kataOf = (path: string): string | undefined => /[\\/]katas[\\/](\d\d-[a-z0-9-]+)[\\/]/.exec(path)?.[1]

/** The functions of a kata.ts source whose body still calls `notImplemented(KATA, 'name')`, in file order. */
export const stubbedFunctions = (source: string): string[] => {
  const found: string[] = []
  // skip comments, so that a stub's doc or a commented-out line does not count
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')
  for (const m of code.matchAll(/notImplemented\(\s*[^,()]+,\s*(['"`])([A-Za-z_$][\w$]*)\1\s*\)/g))
    if (!found.includes(m[2])) found.push(m[2])
  return found
}

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

/**
 * The values a module source exports by declaration (`export const`, `export function`,
 * `export class`), in file order; types and interfaces are not values.
 */
export const exportedValues = (source: string, fileName = 'kata.ts'): string[] => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const names: string[] = []
  for (const s of file.statements) {
    if (!isExported(s)) continue
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name !== undefined) names.push(s.name.text)
    else if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text)
  }
  return names
}

/** One parameter of an exported function: its name, and its default as written, if it has one. */
export interface Parameter {
  readonly name: string
  readonly default?: string
  /** Whether a caller may leave it out (`bias?: Tensor`, or a default). */
  readonly optional?: boolean
  /** The properties of its type, when that is a type literal or an interface of the source or of its types' source. */
  readonly members?: readonly string[]
}

/**
 * The parameters of each function a module source exports by declaration (`export const f = (a,
 * b = 1) => ...`, `export function f(a, b)`), by name: what a kata's README and hints must call
 * them.
 */
export const exportedSignatures = (
  source: string,
  fileName = 'kata.ts',
  /** the kata's types.ts, whose interfaces the stub's parameters may name */
  typesSource = '',
): Map<string, readonly Parameter[]> => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const types = ts.createSourceFile('types.ts', typesSource, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const signatures = new Map<string, readonly Parameter[]>()
  const interfaces = new Map(
    [...types.statements, ...file.statements]
      .filter(ts.isInterfaceDeclaration)
      .map((i) => [i.name.text, i.members] as const),
  )
  const membersOf = (type: ts.TypeNode | undefined): string[] | undefined => {
    const members =
      type === undefined
        ? undefined
        : ts.isTypeLiteralNode(type)
          ? type.members
          : ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)
            ? interfaces.get(type.typeName.text)
            : undefined
    return members?.flatMap((m) => (m.name !== undefined && ts.isIdentifier(m.name) ? [m.name.text] : []))
  }
  const parameters = (fn: ts.SignatureDeclarationBase): Parameter[] =>
    fn.parameters.map((p) => {
      const members = membersOf(p.type)
      return {
        name: p.name.getText(file),
        ...(p.initializer === undefined ? {} : { default: p.initializer.getText(file) }),
        ...(p.initializer === undefined && p.questionToken === undefined ? {} : { optional: true }),
        ...(members === undefined ? {} : { members }),
      }
    })
  for (const s of file.statements) {
    if (!isExported(s)) continue
    if (ts.isFunctionDeclaration(s) && s.name !== undefined) signatures.set(s.name.text, parameters(s))
    else if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        const init = d.initializer
        if (
          ts.isIdentifier(d.name) &&
          init !== undefined &&
          (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
        )
          signatures.set(d.name.text, parameters(init))
      }
  }
  return signatures
}
