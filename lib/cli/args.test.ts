import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { DEFAULT_STEPS, LECTURE_STEPS, parseStartArgs } from './args.ts'

const run = (argv: string[]) => {
  const r = parseStartArgs(argv)
  if (E.isLeft(r) || r.right.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(r)}`)
  return r.right.options
}
const error = (argv: string[]) => {
  const r = parseStartArgs(argv)
  if (E.isRight(r)) throw new Error('expected a usage error')
  return r.left
}

describe('npm start flags', () => {
  it('defaults: the built-in corpus, every experiment, the default steps', () => {
    const o = run([])
    expect(o).toMatchObject({
      data: 'data/names.txt',
      out: 'reports',
      seed: 42,
      split: 'seeded',
      steps: DEFAULT_STEPS,
      full: false,
    })
    expect(o.only).toContain('naive')
    expect(o.only).toContain('deep-batchnorm')
  })
  it('reads every flag', () => {
    const o = run([
      '--data',
      'x.txt',
      '--steps',
      '500',
      '--seed',
      '7',
      '--out',
      'o',
      '--only',
      'kaiming,naive',
      '--workers',
      '1',
      '--python-split',
    ])
    expect(o).toMatchObject({ data: 'x.txt', steps: 500, seed: 7, out: 'o', workers: 1, split: 'python' })
    expect(o.only).toEqual(['naive', 'kaiming']) // in the lecture's order
    expect(run(['--full']).steps).toBe(LECTURE_STEPS)
  })
  it('asks for help', () => {
    expect(parseStartArgs(['--help'])).toEqual(E.right({ kind: 'help' }))
  })
  it('says what is wrong with a bad flag', () => {
    expect(error(['--stesp', '5'])).toBe("unknown option '--stesp'")
    expect(error(['--steps'])).toBe('--steps needs a number')
    expect(error(['--steps', '1e3'])).toBe("--steps must be a whole number of at least 1, got '1e3'")
    expect(error(['--steps', '0'])).toBe("--steps must be a whole number of at least 1, got '0'")
    expect(error(['--only', 'kaiming,magic'])).toMatch(
      /--only: unknown experiment 'magic'; choose from naive, fix-softmax/,
    )
    expect(error(['--data', '--full'])).toBe('--data needs a value')
    expect(error(['--full', '--steps', '10'])).toBe('use --steps N or --full, not both')
  })
})
