/** Part 8's figure: the deep tanh net at initialisation for every gain of the slider's grid. */
import { DEFAULT_GAIN, explorerData, explorerSpec } from '../../explorer.ts'
import { fixed as f, percent as pct } from '../../../engine/format.ts'
import type { PartFigures } from '../part.ts'

export const gainExplorer: PartFigures = (data) => {
  const d = explorerData(data.corpus.vocabSize, data.options.seed)
  const at = (gain: number) => d.layers.filter((l) => Math.abs(l.gain - gain) < 0.05)
  const lastOf = (gain: number) => {
    const ls = at(gain)
    return ls[ls.length - 1]
  }
  const g17 = lastOf(DEFAULT_GAIN),
    g05 = lastOf(0.5),
    g3 = lastOf(3)
  const maxSat3 = Math.max(...at(3).map((l) => l.saturated))
  return {
    headline: `at gain ${DEFAULT_GAIN} ≈ 5/3 the last tanh layer keeps std ${f(g17.std)}; at 0.5 it falls to ${f(g05.std, 3)}; at 3 up to ${pct(maxSat3, 0)} of a layer is saturated`,
    values: { lowStd: f(g05.std, 3), highSaturated: pct(g3.saturated, 0) },
    figures: {
      explorer: {
        kind: 'interactive',
        spec: explorerSpec(d),
        caption:
          `Computed once for gains 0.5, 0.6, …, 3.0 (seed ${data.options.seed}); the slider picks one. ` +
          "The axes stay put as the gain moves, so what changes is the net, not the scale. Kaiming's 5/3 ≈ 1.67 lies between 1.6 and 1.7.",
      },
    },
  }
}
