import { describe, expect, it } from 'vitest'
import { formatResultsTable, type Results } from './results.ts'

const results: Results = {
  experiments: [
    {
      name: 'naive',
      initLoss: 26.1078,
      train: 2.1144,
      val: 2.177,
      steps: 200_000,
      seconds: 201.3,
      parameters: 11_897,
      samples: ['emma'],
      lecture: { initLoss: 27, val: 2.17 },
    },
    {
      name: 'batchnorm',
      initLoss: 3.323,
      train: 2.067,
      val: 2.1313,
      steps: 200_000,
      seconds: 250,
      parameters: 12_097,
      samples: [],
      lecture: { initLoss: 3.29, val: 2.1 },
    },
    {
      name: 'deep-tanh',
      initLoss: 3.3,
      train: 2.5,
      val: 2.51,
      steps: 1000,
      seconds: 3,
      parameters: 46_497,
      samples: [],
      lecture: { initLoss: 3.29 },
    },
  ],
  expectedInitLoss: 3.2958,
  corpus: { source: 'names.txt', words: 32_033, vocabSize: 27, trainExamples: 1, valExamples: 1, testExamples: 1 },
  seed: 42,
  split: 'seeded',
}

describe('the loss table', () => {
  it("prints each figure next to the lecture's, with the lecture's two decimals", () => {
    const table = formatResultsTable(results).split('\n')
    expect(table[0]).toMatch(/^experiment\s+params\s+init loss \(lecture\)\s+train\s+val \(lecture\)\s+steps\s+time$/)
    expect(table[2]).toMatch(/^naive\s+11,897\s+26\.108 \(27\)\s+2\.1144\s+2\.1770 \(2\.17\)\s+200,000\s+201\.3s$/)
    expect(table[3]).toContain('2.1313 (2.10)')
    expect(table[4]).toMatch(/deep-tanh .* 2\.5100\s+1,000/)
    expect(table.at(-1)).toBe('expected initial loss of a uniform guess: ln 27 = 3.2958')
  })
})
