import { evalRng, randnTensor } from '../../engine/random.ts'
import type { Tensor } from '../../engine/tensor.ts'
import { moments } from '../../instruments/diagnostics.ts'
import { linesSpec, type LineSeries } from '../../report/specs.ts'
import { table } from '../../report/html.ts'
import { sentence } from '../../engine/format.ts'
import { type KataPage, f, html, chart, section, code, std } from './shared.ts'

type K03 = import('../../../katas/03-kaiming/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 03: Kaiming

export const page03: KataPage<K03> = {
  needs: ['linearVarianceGain', 'gain', 'kaimingStd', 'initStack', 'forwardStack'],
  data: 'random standard normal inputs',
  build: (m, ctx) => {
    const depth = 10,
      width = 100
    const widths = Array.from({ length: depth + 1 }, () => width)
    const x = evalRng(randnTensor([256, width]), ctx.seed)
    // the tests' measures: std for linear and tanh layers, root mean square for ReLU (its outputs are not centred on 0)
    const rms = (t: Tensor): number => {
      const { mean, std: sd } = moments(t.data)
      return Math.hypot(mean, sd)
    } // √(mean² + std²) = √mean(x²)
    const profile = (nl: 'linear' | 'tanh' | 'relu', factor: number): number[] => {
      const weights = m.initStack(widths, (fanIn) => factor * m.kaimingStd(fanIn, nl), ctx.seed + 1)
      const measure = nl === 'relu' ? rms : (t: Tensor) => std(t)
      return [measure(x), ...m.forwardStack(x, weights, nl).map(measure)]
    }
    const label = (k: number, nl: string) =>
      `${k === 1 ? 'kaimingStd' : `${k === Math.sqrt(0.1) ? '√0.1' : k === Math.sqrt(10) ? '√10' : k === 1 / Math.SQRT2 ? '1/√2' : k} × kaimingStd`} (${nl}${k === 1 / Math.SQRT2 ? ': gain 1' : ''})`
    const series = (nl: 'linear' | 'tanh' | 'relu', factors: number[]): LineSeries[] =>
      factors.map((k) => ({ group: label(k, nl), points: profile(nl, k).map((y, l) => ({ x: l, y })) }))
    // the README's table: weights √0.1 or √10 times the right std scale the variance by 0.1 or 10 at every layer
    const lin = series('linear', [Math.sqrt(0.1), 1, Math.sqrt(10)]),
      tan = series('tanh', [0.6, 1, 1.8]),
      rel = series('relu', [1, 1 / Math.SQRT2])
    const last = (s: LineSeries) => s.points[s.points.length - 1].y
    return {
      title: 'Kata 03: Kaiming initialisation',
      headline: `${ctx.author}: with kaimingStd the signal keeps its size through ${depth} layers: std ${f(last(lin[1]))} (linear), ${f(last(tan[1]))} (tanh), root mean square ${f(last(rel[0]))} (ReLU); weights √0.1 or √10 times too large end at std ${f(last(lin[0]), 6)} and ${f(last(lin[2]), 0)}`,
      intro: `std = gain / √fan_in keeps the variance of the signal through depth. The stacks on this page were drawn by ${ctx.whose} initStack, run by ${ctx.whose} forwardStack, with weights of ${ctx.whose} kaimingStd, on random standard normal inputs (256 × ${width}).`,
      blocks: [
        section(
          `${sentence(ctx.whose)} numbers`,
          "Look at the gains and the std for the lecture's hidden layer (30 inputs, tanh).",
        ),
        html(
          table(
            ['', 'computed', 'expected'],
            [
              [code("gain('linear')"), f(m.gain('linear'), 4), '1'],
              [code("gain('tanh')"), f(m.gain('tanh'), 4), '5/3 ≈ 1.6667'],
              [code("gain('relu')"), f(m.gain('relu'), 4), '√2 ≈ 1.4142'],
              [code("kaimingStd(30, 'tanh')"), f(m.kaimingStd(30, 'tanh'), 4), '0.3043'],
              [code('linearVarianceGain(100, 1)'), f(m.linearVarianceGain(100, 1), 2), '100'],
              [code('linearVarianceGain(100, 0.1)'), f(m.linearVarianceGain(100, 0.1), 4), '1'],
            ],
            [1, 2],
          ),
        ),
        section(
          'Explode, vanish, or preserved',
          `Look at the slopes on the log scale: ${depth} linear layers of ${width}, the weights' std √0.1, 1 or √10 times kaimingStd.`,
        ),
        chart(
          linesSpec({
            title: `std after each of ${depth} linear layers`,
            xTitle: 'layer (0 = input)',
            yTitle: 'std (log scale)',
            series: lin,
            yScale: 'log',
            points: true,
            integerX: true,
            width: 620,
          }),
          'The variance is multiplied by fan_in · std² at every layer: by 0.1 when the weights are √0.1 times too small (the std falls by √10 ≈ 3.2 a layer), by 10 when they are √10 times too large, by 1 with kaimingStd.',
        ),
        section(
          'The gain makes up for the non-linearity',
          'Look at where the lines settle: tanh squashes, so its weights need the 5/3; ReLU zeroes half its inputs, so its weights need √2.',
        ),
        chart(
          linesSpec({
            title: `the signal after each of ${depth} layers with a non-linearity`,
            xTitle: 'layer (0 = input)',
            yTitle: 'std (tanh); root mean square (ReLU)',
            series: [...tan, ...rel],
            points: true,
            integerX: true,
            yDomain: [0, 1.1],
            width: 620,
          }),
          `kaimingStd settles tanh at a std of ${f(last(tan[1]))} (the lecture's "about 0.65"); with 0.6 × it the signal fades layer after layer, with 1.8 × it saturates (the outputs pile up at ±1, so the std creeps towards 1). ReLU is measured by its root mean square, as its outputs are not centred on 0: with the gain √2 it holds at ${f(last(rel[0]))}; without it (gain 1, the second ReLU line) half the variance is lost at every layer.`,
        ),
      ],
    }
  },
}
