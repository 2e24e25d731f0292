/**
 * Part 3's figures: the lecture's fan-in demo, the std of the activations through ten linear
 * layers and through ten tanh layers for three gains each, and the share saturated.
 */
import { SATURATION, histogram, moments, symmetricRange } from '../../../instruments/diagnostics.ts'
import { depthProfile, fanInDemo } from '../../../instruments/probes.ts'
import { densityLinesSpec, linesSpec, type LineSeries } from '../../specs.ts'
import { fixed as f, percent as pct } from '../../../engine/format.ts'
import { chart, grid } from '../blocks.ts'
import type { PartFigures } from '../part.ts'

const DEPTH = 10,
  WIDTH = 100,
  EXAMPLES = 256

const gainName = (g: number) => (Math.abs(g - 5 / 3) < 1e-9 ? '5/3' : `${g}`)
const profile = (p: { gain: number; std: readonly number[] }, what: string): LineSeries => ({
  group: `gain ${gainName(p.gain)}${what}`,
  points: p.std.map((y, x) => ({ x, y })),
})
const last = (p: { std: readonly number[] }) => p.std[p.std.length - 1]

export const kaiming: PartFigures = (data) => {
  const seed = data.options.seed
  const demo = fanInDemo(seed)
  const sx = moments(demo.x.data).std,
    sy = moments(demo.y.data).std,
    sk = moments(demo.yScaled.data).std
  const range = symmetricRange([demo.y.data])
  const shape = { seed, depth: DEPTH, width: WIDTH, examples: EXAMPLES }
  const lin = [0.5, 1, 2].map((g) => depthProfile(g, { ...shape, nonlinear: false }))
  const tan = [1, 5 / 3, 3].map((g) => depthProfile(g, { ...shape, nonlinear: true }))
  const [tan1, tan53, tan3] = tan
  // One number for gain 2's growth, quoted by the headline (the index) and the caption alike.
  const grows = f(last(lin[2]) / lin[2].std[0], 0)
  return {
    headline: `over ${DEPTH} tanh layers, gain 5/3 holds the std at ${f(last(tan53))}; gain 1 lets it fall to ${f(last(tan1))}; without tanh, gain 2 multiplies it by ${grows}`,
    values: {
      sx: f(sx),
      sy: f(sy),
      sk: f(sk),
      sqrt10: f(Math.sqrt(10)),
      depth: DEPTH,
      width: WIDTH,
      examples: EXAMPLES,
      seed,
    },
    figures: {
      fanIn: chart(
        densityLinesSpec({
          title: 'x (1000 × 10), x @ w and x @ (w / √10), w (10 × 200) standard normal',
          xTitle: 'value',
          series: [
            { label: `x: std ${f(sx)}`, histogram: histogram(demo.x.data, { bins: 60, ...range }) },
            { label: `x @ w: std ${f(sy)}`, histogram: histogram(demo.y.data, { bins: 60, ...range }) },
            { label: `x @ (w / √10): std ${f(sk)}`, histogram: histogram(demo.yScaled.data, { bins: 60, ...range }) },
          ],
          width: 620,
        }),
        `The lecture's demo (seed ${seed}). x and x @ (w / √10) both have std about 1, so their curves lie on top of each other: ` +
          'that is the point of dividing by √fan_in.',
      ),
      linear: chart(
        linesSpec({
          title: `std of the activations after each of ${DEPTH} linear layers`,
          xTitle: 'layer (0 = input)',
          yTitle: 'std (log scale)',
          series: lin.map((p) =>
            profile(p, p.gain === 1 ? ' (Kaiming for linear)' : p.gain < 1 ? ' (too small)' : ' (too large)'),
          ),
          yScale: 'log',
          points: true,
          integerX: true,
          width: 560,
        }),
        `Gain 0.5 halves the std at every layer (${f(last(lin[0]), 4)} after ${DEPTH}); gain 2 doubles it (× ${grows} after ${DEPTH}, std ${f(last(lin[2]), 0)}); ` +
          `gain 1 keeps it at ${f(last(lin[1]))}.`,
      ),
      tanh: grid(
        chart(
          linesSpec({
            title: `std of tanh outputs across ${DEPTH} layers`,
            xTitle: 'layer (0 = input)',
            yTitle: 'std',
            series: tan.map((p) =>
              profile(p, p.gain === 5 / 3 ? ' (Kaiming for tanh)' : p.gain < 5 / 3 ? ' (too small)' : ' (too large)'),
            ),
            points: true,
            integerX: true,
            yDomain: [0, 1.05],
            xDomain: [0, DEPTH],
          }),
          `Gain 5/3 settles at ${f(last(tan53))} (the lecture's "about 0.65"); gain 1 shrinks to ${f(last(tan1))}; ` +
            `gain 3 holds ${f(last(tan3))} but by saturating.`,
        ),
        chart(
          linesSpec({
            title: `share of tanh outputs beyond ±${SATURATION.panel} (%)`,
            // the same layer axis as its neighbour, so the two read side by side; layer 0, the input, is no tanh
            xTitle: 'layer (0 = input, no tanh)',
            yTitle: 'saturated (%)',
            yFormat: '.0%',
            series: tan.map((p) => ({
              group: `gain ${gainName(p.gain)}`,
              points: p.saturated.map((y, x) => ({ x, y })).slice(1),
            })),
            points: true,
            integerX: true,
            yDomain: [0, 1],
            xDomain: [0, DEPTH],
          }),
          `Gain 5/3: ${pct(tan53.saturated[DEPTH])} saturated at layer ${DEPTH}; gain 3: ${pct(tan3.saturated[DEPTH])}; ` +
            `gain 1: ${pct(tan1.saturated[DEPTH])}.`,
        ),
      ),
    },
  }
}
