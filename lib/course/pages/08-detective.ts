import { diagnose, hiddenLayers } from '../../instruments/diagnostics.ts'
import { linesSpec, type LineSeries } from '../../report/specs.ts'
import { escapeHtml, table } from '../../report/html.ts'
import { sentence } from '../../engine/format.ts'
import { type KataPage, f, html, chart, section, std } from './shared.ts'

type K08 = import('../../../katas/08-detective/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 08: the detective

export const page08: KataPage<K08> = {
  needs: [
    'confidentlyWrong',
    'saturatedLayers',
    'deadUnitLayers',
    'depthTrend',
    'learningRateVerdict',
    'prescribe',
    'investigate',
  ],
  build: async (m, ctx) => {
    const { mysteries } = await import('../../../katas/08-detective/mysteries.ts')
    // the report's own seed, so that a page is the same from run to run (the kata's checks draw a fresh one)
    const cases = mysteries(ctx.seed)
    let agreed = 0
    const rows = cases.map((c) => {
      const mine = m.investigate(c)
      const key = diagnose({ vocabSize: c.vocabSize, trace: c.trace, params: c.params, lr: c.lr })
      // solved as the kata's checks grade it: the same problems in the same places
      const places = (xs: readonly { readonly what: string; readonly where: string }[]) =>
        xs
          .map((x) => `${x.what} in ${x.where}`)
          .sort()
          .join('\n')
      const same =
        places(mine.map((s) => ({ what: s.problem, where: s.where }))) ===
        places(key.map((k) => ({ what: k.kind, where: k.kind.startsWith('lr-') ? 'hidden weights' : k.where })))
      if (same) agreed++
      return [
        escapeHtml(c.name),
        f(c.trace.loss),
        `${c.lr}`,
        mine.length === 0
          ? '<span class="healthy">healthy</span>'
          : mine
              .map(
                (s) =>
                  `<span class="kind">${escapeHtml(s.problem)}</span> in ${escapeHtml(s.where)} → ${escapeHtml(s.remedy)}`,
              )
              .join('<br>'),
        key.length === 0
          ? '<span class="healthy">healthy</span>'
          : key.map((k) => `<span class="kind">${escapeHtml(k.kind)}</span> in ${escapeHtml(k.where)}`).join('<br>'),
        same ? '<span class="healthy">✓</span>' : '<span class="kind">✗</span>',
      ]
    })
    const depth = cases.flatMap((c): LineSeries[] => {
      const hidden = hiddenLayers(c.trace.layers)
      if (hidden.length < 3) return []
      return [
        {
          group: `${c.name}: ${m.depthTrend(c).activations}`,
          points: hidden.map((l, i) => ({ x: i + 1, y: Math.max(1e-6, std(l.out)) })),
          endLabel: c.name,
        },
      ]
    })
    return {
      title: 'Kata 08: the detective',
      headline: `${ctx.author}: ${agreed} of ${cases.length} cases solved as diagnose() solves them`,
      intro: `${cases.length} networks drawn from case seed ${ctx.seed}, a problem planted in each (or none), read from one training pass at initialisation. ${sentence(ctx.whose)} investigate() next to the project's diagnose().`,
      blocks: [
        section(
          'The verdicts',
          `Look at the last column: a ✓ where ${ctx.whose} verdict is diagnose()'s, the same problems in the same places.`,
        ),
        html(
          table(['case', 'first loss', 'learning rate', `${ctx.whose} investigate()`, 'diagnose()', ''], rows, [1, 2]),
        ),
        section(
          'Across depth',
          `Look at the slopes: the std of each hidden layer's output, for the cases deep enough to have one; the legend has ${ctx.whose} depthTrend.`,
        ),
        chart(
          linesSpec({
            title: "std of each hidden layer's output",
            xTitle: 'hidden layer',
            yTitle: 'std (log scale)',
            series: depth,
            yScale: 'log',
            points: true,
            integerX: true,
            width: 620,
          }),
          'A falling line vanishes, a rising one explodes; a flat one keeps its scale. Each line carries its case at its end: cases whose lines coincide share one label spot, and the tooltip of each dot names its case.',
        ),
      ],
    }
  },
}
