import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Which implementation the kata tests run against, chosen by KATA_TARGET:
 * - `learner` (the default: plain `npx vitest`, `npm run watch`, `npm run grade`): the learner's
 *   own katas/NN-topic/kata.ts
 * - `solutions` (what `npm test` sets, and CI checks): solutions/NN-topic/kata.ts
 * - `mutant:NN-topic/NAME`: solutions/NN-topic/mutants/NAME.ts, a classic mistake the tests must reject
 * - `whole:NN-topic/NAME`: solutions/NN-topic/.whole-NAME.ts, the same mistake written into a whole
 *   learner file (verify:katas generates it from the solution and the mutant, then deletes it)
 * A kata test imports './kata.ts'; this plugin decides which file that is.
 */
export const kataTarget = (
  target: string = process.env.KATA_TARGET ?? 'learner',
  root: string = import.meta.dirname,
): Plugin => {
  if (!/^(solutions|learner|(mutant|whole):\d\d-[a-z0-9-]+\/[a-z0-9-]+)$/.test(target)) {
    throw new Error(`KATA_TARGET must be 'solutions', 'learner' or 'mutant:NN-topic/name', got '${target}'`)
  }
  return {
    name: 'kata-target',
    enforce: 'pre',
    resolveId(source, importer) {
      if (target === 'learner' || importer === undefined || source !== './kata.ts') return null
      const kata = /[\\/]katas[\\/](\d\d-[a-z0-9-]+)[\\/][^\\/]+$/.exec(importer)?.[1]
      if (kata === undefined) return null
      if (target.startsWith('mutant:')) {
        const [mutantKata, name] = target.slice('mutant:'.length).split('/')
        if (mutantKata === kata) return resolve(root, 'solutions', kata, 'mutants', `${name}.ts`)
      }
      if (target.startsWith('whole:')) {
        const [mutantKata, name] = target.slice('whole:'.length).split('/')
        if (mutantKata === kata) return resolve(root, 'solutions', kata, `.whole-${name}.ts`)
      }
      return resolve(root, 'solutions', kata, 'kata.ts')
    },
  }
}

/**
 * The files that take longest (they start `npm start` and vitest in processes of their own, or
 * train for seconds), longest first: begun first, so that the short files fill in beside them
 * instead of one long file running alone at the end. vitest's own order (failed first, then the
 * longest of the last run) applies to the rest.
 */
const LONGEST = [
  'lib/cli/test.test.ts',
  'lib/cli/start.test.ts',
  'lib/cli/report.test.ts',
  'lib/cli/grade.test.ts',
  'lib/cli/signals.test.ts',
  'lib/cli/missing-file.test.ts',
  'lib/report/lab/session.test.ts',
  'lib/report/index.test.ts',
  'katas/09-zero-init/kata.test.ts',
]

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((l) => f.moduleId.endsWith(`/${l}`))
      return i < 0 ? LONGEST.length : i
    }
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

const INCLUDE = ['lib/**/*.test.ts', 'bench/**/*.test.ts', 'data/**/*.test.ts', 'katas/**/*.test.ts']

/**
 * The test files that replace a module or a global (vi.mock, vi.doMock, vi.stubGlobal, vi.stubEnv):
 * each needs a module graph of its own, or the module it replaces may already be loaded, unreplaced,
 * by a file that ran before it in the same worker.
 */
const replacingFiles = (root: string): string[] =>
  ['lib', 'bench', 'data', 'katas']
    .flatMap((dir) =>
      existsSync(resolve(root, dir))
        ? readdirSync(resolve(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`)
        : [],
    )
    .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
    .filter((f) => /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/.test(readFileSync(resolve(root, f), 'utf8')))

/**
 * Plain `npx vitest` (no KATA_TARGET) is the learner's: it runs the kata checks alone, against
 * their own katas/NN-topic/kata.ts, and prints the kata screen (lib/course/reporter.ts). `npm test`
 * sets KATA_TARGET=solutions and runs every test of the project.
 */
const learnerRun = (process.env.KATA_TARGET ?? 'learner') === 'learner'

export default defineConfig(() => {
  const replacing = learnerRun ? [] : replacingFiles(import.meta.dirname)
  return {
    plugins: [kataTarget()],
    test: {
      ...(learnerRun ? { reporters: ['./lib/course/reporter.ts'] } : {}),
      // which files: in the projects below (an include here would be added to each project's own)
      testTimeout: 60_000,
      // a beforeAll that renders every report page takes seconds on a busy machine, like a test
      hookTimeout: 60_000,
      // vitest's default for a run is one worker fewer than the cores: a single worker on 2 cores
      maxWorkers: availableParallelism(),
      sequence: { sequencer: LongestFirst },
      projects: [
        // one module graph per worker, not per file: every file's imports (vega, the engine, the
        // solutions) load once per worker instead of once per file
        {
          extends: true as const,
          test: {
            name: learnerRun ? 'learner' : 'shared',
            include: learnerRun ? ['katas/**/*.test.ts'] : INCLUDE,
            exclude: replacing,
            isolate: false,
          },
        },
        // a file that replaces a module gets a fresh graph, as every file does by default
        ...(replacing.length === 0
          ? []
          : [{ extends: true as const, test: { name: 'own', include: replacing, isolate: true } }]),
      ],
    },
  }
})
