/** fast-check generators for the model's values, shared by the tests of the model and of the pages built on it. */
import fc from 'fast-check'
import type { LabSettings } from './configure.ts'

/** Any lab settings within the lab's limits. */
export const labSettings: fc.Arbitrary<LabSettings> = fc.record({
  network: fc.constantFrom('mlp' as const, 'deep' as const),
  depth: fc.integer({ min: 1, max: 10 }),
  width: fc.integer({ min: 10, max: 300 }),
  activation: fc.constantFrom('tanh' as const, 'relu' as const, 'none' as const),
  init: fc.constantFrom('naive' as const, 'fixed' as const, 'kaiming' as const),
  gain: fc.double({ min: 0, max: 10, noNaN: true }),
  batchNorm: fc.boolean(),
  learningRate: fc.double({ min: 1e-4, max: 10, noNaN: true }),
  batchSize: fc.integer({ min: 2, max: 512 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
})
