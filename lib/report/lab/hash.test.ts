import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeSettings, encodeSettings } from './hash.ts'
import { lectureDeep } from '../../model/configure.ts'
import { labSettings } from '../../model/arbitraries.ts'

describe('settings in the URL hash', () => {
  it('decode(encode(s)) gives s back exactly, with no problems', () => {
    fc.assert(
      fc.property(labSettings, (s) => {
        expect(decodeSettings(`#${encodeSettings(s)}`)).toEqual({ settings: s, problems: [] })
      }),
    )
  })

  it('an empty hash is the lecture deep net; a partial one changes only what it names', () => {
    expect(decodeSettings('')).toEqual({ settings: lectureDeep, problems: [] })
    expect(decodeSettings('#bn=1&gain=3').settings).toEqual({ ...lectureDeep, batchNorm: true, gain: 3 })
  })

  it('values a control cannot take are ignored and named', () => {
    const r = decodeSettings('#depth=40&act=sigmoid&bn=yes&lr=0.01')
    expect(r.settings).toEqual({ ...lectureDeep, learningRate: 0.01 })
    expect(r.problems).toEqual([
      'depth=40 ignored: depth must be an integer from 1 to 10, got 40',
      'act=sigmoid ignored: activation must be tanh, relu or none, got sigmoid',
      'bn=yes ignored',
    ])
  })
})
