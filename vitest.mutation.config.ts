import { defineConfig } from 'vitest/config'
import { kataTarget } from './vitest.config.ts'

/**
 * The vitest configuration `npm run mutation` gives Stryker (lib/cli/mutation.ts): one kata's
 * tests (MUTATION_KATA=NN-topic) against the copy of its answer that Stryker mutates,
 * solutions/NN-topic/.whole-mutation.ts, while the reference laws' own import of
 * solutions/NN-topic/kata.ts stays the pristine answer.
 *
 * Every test file gets a fresh module graph (`isolate: true`, unlike `npm test`'s shared one): a
 * mutant that replaces a whole `export const f = ...` is decided when the module loads, and in a
 * shared graph the module loaded for the first mutant would serve every later one.
 */
const kata = process.env.MUTATION_KATA ?? ''
if (!/^\d\d-[a-z0-9-]+$/.test(kata))
  throw new Error(`vitest.mutation.config.ts: MUTATION_KATA must name a kata (NN-topic), got '${kata}'`)

export default defineConfig({
  plugins: [kataTarget(`whole:${kata}/mutation`)],
  test: {
    include: [`katas/${kata}/*.test.ts`],
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
