/**
 * `npm run separate:mysteries -- [FIRST] [LAST]`: for each seed from FIRST to LAST (1 to 200 by
 * default), draws kata 08's cases and tells which of its mutants (solutions/08-detective/mutants)
 * the checks on those cases reject: an instrument's answer or the investigation differs from
 * diagnose()'s on some case. Prints, per mutant, on how many seeds it was rejected, and the seeds
 * it got through; exits 1 when any mutant got through on any seed. Every rule and threshold of the
 * rulebook must be told apart from its neighbours on every seed, or a learner's slip passes or
 * fails by the luck of the draw.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as Kata from '../../katas/08-detective/types.ts'

type Answers = Kata.Kata

const root = join(import.meta.dirname, '..', '..')
const [first = 1, last = 200] = process.argv.slice(2).map(Number)

const { mysteries } = await import('../../katas/08-detective/mysteries.ts')
const F = await import('../../katas/08-detective/feedback.ts')
const dir = join(root, 'solutions', '08-detective', 'mutants')
const mutants = await Promise.all(
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map(async (f) => ({ name: f.slice(0, -3), m: (await import(pathToFileURL(join(dir, f)).href)) as Answers })),
)

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
/** Whether the checks of kata.test.ts that read the cases reject these answers on these cases. */
const rejects = (m: Answers, cases: readonly Kata.Case[]): boolean =>
  cases.some(
    (c) =>
      m.confidentlyWrong(c) !== F.kindsOf(c).includes('confidently-wrong') ||
      !same(m.saturatedLayers(c), F.wheresOf(c, 'saturated')) ||
      !same(m.deadUnitLayers(c), F.wheresOf(c, 'dead-units')) ||
      !same(m.depthTrend(c), F.depthWant(c)) ||
      m.learningRateVerdict(c) !== F.lrWant(c) ||
      !same(F.places(m.investigate(c)), F.places(F.findingsOf(c))),
  )

const through = new Map<string, number[]>(mutants.map(({ name }) => [name, []]))
for (let seed = first; seed <= last; seed++) {
  const cases = mysteries(seed)
  for (const { name, m } of mutants) if (!rejects(m, cases)) through.get(name)?.push(seed)
}
const seeds = last - first + 1
let leaks = 0
for (const [name, missed] of through) {
  leaks += missed.length
  const tail =
    missed.length === 0 ? '' : `, through on seeds ${missed.slice(0, 20).join(', ')}${missed.length > 20 ? ', …' : ''}`
  console.log(`${name}: rejected on ${seeds - missed.length} of ${seeds} seeds${tail}`)
}
process.exit(leaks === 0 ? 0 : 1)
