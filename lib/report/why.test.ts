import { describe, expect, it } from 'vitest'
import { readNamesOrThrow, sampleBatch } from '../model/data.ts'
import { findExperiment, prepareCorpus } from '../model/experiments.ts'
import { initModel } from '../model/nn.ts'
import { lectureSchedule, train } from '../model/train.ts'
import { seedRng } from '../engine/random.ts'
import { NAIVE_FIRST_LOSS_OVER_SEEDS } from './parts/06-results/figures.ts'

describe("the results page's explanation of naive's first loss", () => {
  it('the spread it quotes for the built-in corpus is what seeds 1..20 draw (split seed 42, batch 32)', () => {
    const words = readNamesOrThrow('data/names.txt')
    const corpus = prepareCorpus(words, 42)
    const naive = findExperiment('naive')
    if (naive === undefined) throw new Error('no naive experiment')
    const first = Array.from({ length: 20 }, (_, k) => {
      const [model, rng] = initModel(naive.layers(corpus.vocab.size))(seedRng(k + 1))
      const r = train(model, rng, sampleBatch(corpus.train, 32), {
        name: 'naive',
        steps: 1,
        schedule: lectureSchedule(1),
      })
      return r.history.loss[0]
    })
    const q = NAIVE_FIRST_LOSS_OVER_SEEDS.builtin
    expect(first.reduce((a, b) => a + b) / first.length).toBeCloseTo(q.mean, 2)
    expect(Math.min(...first)).toBeCloseTo(q.min, 2)
    expect(Math.max(...first)).toBeCloseTo(q.max, 2)
  })
})
