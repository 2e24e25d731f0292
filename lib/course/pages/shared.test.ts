import { describe, expect, it } from 'vitest'
import { linesSpec } from '../../report/specs.ts'
import { renderSvg, toVega } from '../../report/render.ts'
import { besideReference, chart, html, type PageBody } from './shared.ts'

const body = (scale: number, who: string): PageBody => ({
  title: 'Kata 99',
  headline: `${who}: std ${scale}`,
  intro: 'intro',
  blocks: [
    html('<p>text</p>'),
    chart(
      linesSpec({
        title: 'std across depth',
        xTitle: 'layer',
        yTitle: 'std',
        series: [{ group: 'a', points: [0, 1, 2].map((x) => ({ x, y: scale * (x + 1) })) }],
      }),
      `${who} caption.`,
    ),
  ],
})

describe('besideReference', () => {
  it('pairs each chart with the reference one in one figure on shared x and y scales, labelled yours and reference', async () => {
    const page = besideReference(body(1, 'your code'), body(10, 'the reference answers'))
    expect(page.blocks[0]).toEqual(html('<p>text</p>'))
    const pair = page.blocks[1]
    if (pair.kind !== 'chart') throw new Error('expected a chart')
    const warnings: string[] = []
    const vega = toVega(pair.spec, 'pair', warnings) as { scales?: { name: string; domain: unknown }[] }
    expect(warnings).toEqual([])
    // shared scales live at the top of the compiled spec, one x and one y for both sides
    expect(vega.scales?.map((s) => s.name).sort()).toEqual(expect.arrayContaining(['x', 'y']))
    const { svg } = await renderSvg(pair.spec, 'pair')
    expect(svg).toContain('yours: std across depth')
    expect(svg).toContain('reference: std across depth')
    expect(page.headline).toBe('your code: std 1; the reference answers: std 10')
    expect(pair.caption).toMatch(/^Left, drawn by your code: .* Right, the reference answers: /)
    const same = besideReference(body(1, 'x'), body(10, 'x')).blocks[1]
    expect(same.kind === 'chart' && same.caption).toBe(
      'Left, drawn by your code; right, by the reference answers, on the same scales. x caption.',
    )
  })
})
