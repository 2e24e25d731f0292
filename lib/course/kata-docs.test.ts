/**
 * A kata's README.md and hints.md name its functions, their parameters, their defaults and the
 * fields of their options: each name must be the stub's own, so that the text a learner reads and
 * the code they write cannot drift apart.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportedSignatures, listKatas, type Parameter } from './catalogue.ts'
import { parseHints } from './hints.ts'
import { projectRoot as root } from './session.ts'

/** A markdown text without its fenced code (code calls the functions with arguments of its own). */
const prose = (markdown: string): string => markdown.replace(/```[\s\S]*?```/g, '')

/** Every `name(a, b = 1)` a text shows in backticks whose arguments are names (a signature, not a call). */
const namedSignatures = (text: string): { readonly fn: string; readonly params: readonly Parameter[] }[] =>
  [...prose(text).matchAll(/`([A-Za-z_$][\w$]*)\(([^`()]*)\)`/g)].flatMap(([, fn, args]) => {
    const params = args.trim() === '' ? [] : args.split(',').map((a) => a.trim())
    if (!params.every((p) => /^[A-Za-z_$][\w$]*(\s*=\s*[^=].*)?$/.test(p))) return []
    return [
      {
        fn,
        params: params.map((p) => {
          const [name, value] = p.split(/\s*=\s*/)
          return value === undefined ? { name } : { name, default: value }
        }),
      },
    ]
  })

/** What is wrong with a text's signature of `fn` against the stub's, or undefined when it agrees. */
const signatureDrift = (fn: string, written: readonly Parameter[], stub: readonly Parameter[]): string | undefined => {
  const shown = `${fn}(${written.map((p) => p.name).join(', ')})`
  const real = `${fn}(${stub.map((p) => (p.default === undefined ? p.name : `${p.name} = ${p.default}`)).join(', ')})`
  if (written.length > stub.length) return `${shown}: the stub's is ${real}`
  for (const [i, p] of written.entries()) {
    if (p.name !== stub[i].name) return `${shown}: the stub's is ${real}`
    if (p.default !== undefined && p.default !== stub[i].default)
      return `${fn}'s ${p.name} = ${p.default}: the stub's default is ${stub[i].default ?? 'none'}`
  }
  // parameters left out must be ones the learner may leave out
  const missing = stub.slice(written.length).find((p) => p.optional !== true)
  return missing === undefined ? undefined : `${shown} leaves out ${missing.name}: the stub's is ${real}`
}

describe('signatures as a README shows them', () => {
  it('agree when the names match, defaulted parameters may be left out, and say the stub’s when not', () => {
    const stub = [{ name: 'W1' }, { name: 'b1' }, { name: 'tolerance', default: '1e-9', optional: true }]
    expect(signatureDrift('f', [{ name: 'W1' }, { name: 'b1' }], stub)).toBeUndefined()
    expect(signatureDrift('f', [{ name: 'W1' }], stub)).toMatch(/leaves out b1/)
    expect(signatureDrift('f', [{ name: 'W1' }, { name: 'bias' }], stub)).toBe(
      'f(W1, bias): the stub’s is f(W1, b1, tolerance = 1e-9)'.replace('’', "'"),
    )
    expect(signatureDrift('f', [{ name: 'W1' }, { name: 'b1' }, { name: 'tolerance', default: '0.1' }], stub)).toMatch(
      /default is 1e-9/,
    )
    expect(namedSignatures('`f(a, b = 0.97)` and `exp(x - max)` and\n```ts\ng(1, 2)\n```')).toEqual([
      { fn: 'f', params: [{ name: 'a' }, { name: 'b', default: '0.97' }] },
    ])
  })
})

describe.each(listKatas(root))('%s: README.md and hints.md name what the stub declares', (kata) => {
  const read = (f: string) => readFileSync(join(root, 'katas', kata, f), 'utf8')
  const stub = exportedSignatures(
    read('kata.ts'),
    'kata.ts',
    existsSync(join(root, 'katas', kata, 'types.ts')) ? read('types.ts') : '',
  )
  const docs = { 'README.md': read('README.md'), 'hints.md': read('hints.md') }

  it.each(Object.keys(docs) as (keyof typeof docs)[])(
    "%s: every function of the stub it shows has the stub's parameters and defaults",
    (doc) => {
      const drift = namedSignatures(docs[doc]).flatMap(({ fn, params }) => {
        const real = stub.get(fn)
        const wrong = real === undefined ? undefined : signatureDrift(fn, params, real)
        return wrong === undefined ? [] : [wrong]
      })
      expect(drift, `katas/${kata}/${doc} names parameters the stub does not have`).toEqual([])
    },
  )

  it.each(Object.keys(docs) as (keyof typeof docs)[])(
    "%s: every options.NAME it names is a field of the stub's options",
    (doc) => {
      const fields = new Set(
        [...stub.values()].flatMap((ps) => ps.filter((p) => p.name === 'options').flatMap((p) => p.members ?? [])),
      )
      const named = [...prose(docs[doc]).matchAll(/`[^`]*?\boptions\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1])
      expect(
        named.filter((f) => !fields.has(f)),
        `katas/${kata}/${doc} names options the stub's functions do not take`,
      ).toEqual([])
    },
  )

  it("hints.md has a section for functions of the stub only, by the stub's names", () => {
    const hints = parseHints(docs['hints.md'])
    const sections = 'functions' in hints ? hints.functions.map((f) => f.fn) : []
    expect(sections.filter((fn) => !stub.has(fn))).toEqual([])
  })
})

it('kata 06 judges a learning rate by the median of the ratios, in its README, its hints and its checks alike', () => {
  // the checks reject the mean (one outlying layer, such as the output layer started small, drags it)
  for (const doc of ['README.md', 'hints.md']) {
    const text = prose(readFileSync(join(root, 'katas', '06-instruments', doc), 'utf8'))
    expect(text, `katas/06-instruments/${doc}`).not.toMatch(
      /\(the median,? or the mean\)|\(or the mean\)|the mean \(or the median\)/,
    )
  }
})

describe('the course as the READMEs count and list it', () => {
  const katas = listKatas(root)
  const words = [
    'no',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
  ]
  const readme = (path: string) => readFileSync(join(root, path), 'utf8')

  it.each(['README.md', 'katas/README.md'])(
    '%s counts as many katas as katas/ holds, and its table lists each',
    (path) => {
      const text = readme(path)
      const counts = [...text.matchAll(/\b([A-Za-z]+|\d+) (?:short )?(?:katas|exercises)\b/gi)]
        .map((m) => m[1].toLowerCase())
        .filter((w) => words.includes(w) || /^\d+$/.test(w))
        .map((w) => (/^\d+$/.test(w) ? Number(w) : words.indexOf(w)))
      expect(counts.length, `${path} says how many katas there are`).toBeGreaterThan(0)
      for (const n of counts) expect(n, `${path} counts ${n} katas; katas/ holds ${katas.length}`).toBe(katas.length)
      const listed = katas.filter((k) => new RegExp(`^\\|\\s*\\[?${k}\\b`, 'm').test(text))
      expect(listed, `${path}'s table of katas`).toEqual(katas)
    },
  )
})
