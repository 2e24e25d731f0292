/**
 * What the kata tests (and kata 08's mysteries) load: the names corpus of data/names.txt, its
 * vocabulary, its context windows at the lecture's block size, the seeded 80/10/10 split, and
 * batches drawn from them with a seed. Read once, on first use; the lecture's sizes and networks
 * come from lib/model/experiments.ts and are re-exported here, never declared twice.
 */
import { fileURLToPath } from 'node:url'
import {
  type Batch,
  buildExamples,
  buildVocabulary,
  type Examples,
  readNamesOrThrow,
  sampleBatch,
  type Vocabulary,
} from '../model/data.ts'
import { BLOCK_SIZE, type Corpus, prepareCorpus } from '../model/experiments.ts'
import { evalRng, shuffle } from '../engine/random.ts'

export { BLOCK_SIZE, EMBEDDING_DIM, findExperiment, HIDDEN } from '../model/experiments.ts'

const once = <A>(make: () => A): (() => A) => {
  let value: A | undefined
  return () => {
    if (value === undefined) value = make()
    return value
  }
}

/** The 32,033 names of data/names.txt (the lecture's names.txt); a clear error if the file is missing or broken. */
export const names = once((): readonly string[] =>
  readNamesOrThrow(fileURLToPath(new URL('../../data/names.txt', import.meta.url))),
)

/** The 27 tokens: '.' and a to z. */
export const vocabulary = once((): Vocabulary => buildVocabulary(names()))

/** Every context window of every name at the lecture's block size (3). */
export const examples = once((): Examples => buildExamples(names(), vocabulary(), BLOCK_SIZE))

/** `size` context windows drawn with `seed` from all the names (or from `from`). */
export const batchOf = (size: number, seed: number, from: Examples = examples()): Batch =>
  evalRng(sampleBatch(from, size), seed)

/** `count` names drawn with `seed`, split 80/10/10 with the same seed: a corpus small enough to train on in a test. */
export const smallCorpus = (count: number, seed: number): Corpus =>
  prepareCorpus(evalRng(shuffle(names()), seed).slice(0, count), seed)
