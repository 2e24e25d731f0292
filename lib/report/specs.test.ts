import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { TopLevelSpec } from 'vega-lite'
import { histogram, saturationMap } from '../instruments/diagnostics.ts'
import { uniformValue } from '../engine/arbitraries.ts'
import {
  densityLinesSpec,
  downsample,
  histogramBarsSpec,
  linesSpec,
  resultsSpec,
  saturatedRuns,
  saturationMapSpec,
  softmaxSpec,
  type HistogramSeries,
} from './specs.ts'
import { prefixIds, renderSvg, textWidth, toVega } from './render.ts'
import { DEFAULT_GAIN, GAINS, explorerData, explorerSpec } from './explorer.ts'
import { fixed, percent, signed } from '../engine/format.ts'

/** The rows of a spec's inline data (top level or in its layers). */
type Row = Record<string, unknown>
const rowsOf = (spec: TopLevelSpec): Row[][] => {
  const out: Row[][] = []
  const visit = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return
    const data = (s as { data?: { values?: unknown } }).data
    if (data !== undefined && Array.isArray(data.values)) out.push(data.values as Row[])
    for (const key of ['layer', 'hconcat', 'vconcat', 'spec']) {
      const child = (s as Record<string, unknown>)[key]
      if (Array.isArray(child)) child.forEach(visit)
      else visit(child)
    }
  }
  visit(spec)
  return out
}
const num = (r: Row, k: string): number => Number(r[k])

/** Compiles to Vega with no warning: valid Vega-Lite for the data it was given. */
const expectValid = (spec: TopLevelSpec): void => {
  const warnings: string[] = []
  const vg = toVega(spec, 'test', warnings)
  expect(warnings).toEqual([])
  expect(vg.marks?.length ?? 0).toBeGreaterThan(0)
}

const seriesArb = fc
  .array(
    fc.record({
      label: fc.string({ minLength: 1, maxLength: 12 }),
      values: fc.array(uniformValue(3), { minLength: 1, maxLength: 300 }),
      bins: fc.integer({ min: 1, max: 30 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((xs) => xs.map((x, i) => ({ ...x, label: `${i}:${x.label}` })))

const toSeries = (xs: { label: string; values: number[]; bins: number }[]): HistogramSeries[] =>
  xs.map((x) => ({ label: x.label, histogram: histogram(x.values, { bins: x.bins, min: -2, max: 2 }) }))

describe('histogram specs', () => {
  it("densityLinesSpec holds every bin of every series, and each series' counts sum to its number of values", () => {
    fc.assert(
      fc.property(seriesArb, (xs) => {
        const spec = densityLinesSpec({ title: 't', xTitle: 'x', series: toSeries(xs) })
        const [rows] = rowsOf(spec)
        for (const x of xs) {
          const mine = rows.filter((r) => r.series === x.label)
          expect(mine.length).toBe(x.bins)
          expect(mine.reduce((s, r) => s + num(r, 'count'), 0)).toBe(x.values.length)
          // the density is the count over N times the bin width, rounded to 6 significant digits
          for (const r of mine) {
            const expected = num(r, 'count') / (x.values.length * (num(r, 'end') - num(r, 'start')))
            expect(Math.abs(num(r, 'density') - expected)).toBeLessThanOrEqual(1e-4 * expected)
          }
        }
      }),
      { numRuns: 30 },
    )
    expectValid(
      densityLinesSpec({
        title: 't',
        xTitle: 'x',
        series: toSeries([
          { label: 'a', values: [0, 1, -1], bins: 4 },
          { label: 'b', values: [0.5], bins: 4 },
        ]),
      }),
    )
  })

  it('histogramBarsSpec: the x labels of a panel never touch, at any width from 100 to 400 px', async () => {
    for (const width of [100, 140, 200, 300, 400]) {
      for (const [min, max] of [
        [-4.3, 4.3],
        [-1, 1],
        [-0.013, 0.017],
      ]) {
        const xs = Float64Array.from({ length: 200 }, (_, i) => min + ((max - min) * i) / 199)
        const series = [{ label: 'a', histogram: histogram(xs, { bins: 50, min, max }) }]
        const { svg } = await renderSvg(histogramBarsSpec({ title: 't', xTitle: 'x', series, width }), 'c')
        // the x axis's labels: centred text on one baseline, in drawing order
        const labels = [
          ...svg.matchAll(/text-anchor="middle" transform="translate\(([-\d.]+),16\)"[^>]*>([^<]*)</g),
        ].map((m) => ({ x: Number(m[1]), text: m[2] }))
        expect(labels.length, `${width} px, ${min}..${max}`).toBeGreaterThanOrEqual(2)
        // 11 px Helvetica: a character is at most about 6.5 px wide; 4 px of air between two labels
        for (let i = 1; i < labels.length; i++) {
          const [a, b] = [labels[i - 1], labels[i]]
          expect(b.x - a.x, `${width} px: "${a.text}" and "${b.text}"`).toBeGreaterThanOrEqual(
            (6.5 * (a.text.length + b.text.length)) / 2 + 4,
          )
        }
      }
    }
  })

  it('histogramBarsSpec gives each series a panel whose bars count its values, and compiles', () => {
    fc.assert(
      fc.property(seriesArb, (xs) => {
        const spec = histogramBarsSpec({ title: 't', xTitle: 'x', series: toSeries(xs) })
        const [rows] = rowsOf(spec)
        for (const x of xs)
          expect(rows.filter((r) => r.series === x.label).reduce((s, r) => s + num(r, 'count'), 0)).toBe(
            x.values.length,
          )
      }),
      { numRuns: 30 },
    )
    expectValid(
      histogramBarsSpec({
        title: 't',
        xTitle: 'x',
        series: toSeries([
          { label: 'a', values: [0, 1, -1], bins: 4 },
          { label: 'b', values: [0.5], bins: 4 },
        ]),
      }),
    )
  })
})

describe('line, map and bar specs', () => {
  it('linesSpec keeps every point of every series and draws each rule, and compiles', () => {
    const pointsArb = fc.array(fc.record({ x: fc.integer({ min: 0, max: 1000 }), y: uniformValue(5) }), {
      minLength: 1,
      maxLength: 40,
    })
    fc.assert(
      fc.property(
        fc.array(fc.record({ group: fc.constantFrom('a', 'b', 'c'), points: pointsArb, faint: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        (series) => {
          const spec = linesSpec({ title: 't', xTitle: 'x', yTitle: 'y', series, rules: [{ y: -3, label: '1e-3' }] })
          const layers = (spec as { layer: { mark: { type: string }; data: { values: unknown[] } }[] }).layer
          const of = (type: string) => layers.find((l) => l.mark.type === type)?.data.values ?? []
          expect(of('line').length).toBe(series.reduce((s, x) => s + x.points.length, 0))
          expect(of('rule')).toEqual([{ y: -3, label: '1e-3' }])
        },
      ),
      { numRuns: 30 },
    )
    expectValid(
      linesSpec({
        title: 't',
        xTitle: 'x',
        yTitle: 'y',
        series: [
          {
            group: 'a',
            points: [
              { x: 0, y: 1 },
              { x: 1, y: 2 },
            ],
          },
          { group: 'a', faint: true, points: [{ x: 0, y: 1.5 }] },
        ],
        rules: [{ y: 1, label: 'one' }],
        yScale: 'log',
        points: true,
        legendColumns: 2,
      }),
    )
  })

  it("the saturation map's white runs cover exactly the saturated cells, each once, inside the map", () => {
    const mapArb = fc
      .record({ rows: fc.integer({ min: 1, max: 10 }), cols: fc.integer({ min: 1, max: 30 }) })
      .chain(({ rows, cols }) =>
        fc
          .array(uniformValue(1), { minLength: rows * cols, maxLength: rows * cols })
          .map((v) => ({ shape: [rows, cols], data: Float64Array.from(v) })),
      )
    fc.assert(
      fc.property(mapArb, fc.double({ min: 0, max: 1, noNaN: true }), (t, threshold) => {
        const map = saturationMap(t, threshold)
        const runs = saturatedRuns(map)
        const covered = new Uint8Array(map.saturated.length)
        for (const r of runs) {
          expect(0 <= r.from && r.from < r.to && r.to <= map.units).toBe(true)
          for (let j = r.from; j < r.to; j++) covered[r.example * map.units + j] += 1
        }
        expect(Array.from(covered)).toEqual(Array.from(map.saturated))
        const [ground, white] = rowsOf(saturationMapSpec({ title: 'm', map }))
        expect(ground).toHaveLength(1)
        expect(white).toHaveLength(runs.length)
        // the hover says whether a cell is saturated and where, not the drawing's internal fields
        const layers = (saturationMapSpec({ title: 'm', map }) as { layer: { encoding: { tooltip: unknown } }[] }).layer
        expect(layers[0].encoding.tooltip).toEqual({ value: `not saturated: |h| ≤ ${threshold}` })
        expect(layers[1].encoding.tooltip).toEqual([
          { field: 'state', title: 'cell' },
          { field: 'example', title: 'example' },
          { field: 'unitsShown', title: 'units' },
        ])
        white.forEach((row, k) => {
          const r = runs[k]
          expect(row).toMatchObject({ example: r.example, state: `saturated: |h| > ${threshold}` })
          expect((row as { unitsShown: string }).unitsShown).toBe(
            r.to - r.from === 1 ? `${r.from}` : `${r.from}–${r.to - 1}`,
          )
        })
      }),
      { numRuns: 40 },
    )
    expectValid(
      saturationMapSpec({
        title: 'm',
        map: saturationMap({ shape: [2, 3], data: Float64Array.from([1, 0, 1, 1, 1, 0]) }),
      }),
    )
  })

  it('softmaxSpec shows one bar per logit of each case with its probability; resultsSpec one dot per figure; both compile', () => {
    const spec = softmaxSpec({
      title: 's',
      cases: [
        { label: 'a', logits: [0, 1], probs: [0.27, 0.73] },
        { label: 'b', logits: [5, -5], probs: [0.99995, 0.00005] },
      ],
    })
    const [rows] = rowsOf(spec)
    expect(rows.map((r) => [r.case, r.option, r.prob, r.shown])).toEqual([
      ['a', '0', 0.27, '0.27'],
      ['a', '1', 0.73, '0.73'],
      ['b', '5', 0.99995, '1.00'],
      ['b', '-5', 0.00005, '5.0e-5'],
    ])
    expectValid(spec)
    const results = resultsSpec({
      title: 'r',
      experiments: ['x', 'y'],
      dots: [
        { experiment: 'x', measure: 'val', loss: 2.1 },
        { experiment: 'y', measure: 'lecture val', loss: 2.2 },
      ],
    })
    expect(rowsOf(results)[0]).toHaveLength(2)
    expectValid(results)
  })

  it('downsample keeps at most maxPoints points, returns a short series as it is, and preserves the mean', () => {
    fc.assert(
      fc.property(
        fc.array(uniformValue(10), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 1, max: 100 }),
        (xs, max) => {
          const pts = downsample(xs, max)
          expect(pts.length).toBeLessThanOrEqual(max)
          if (xs.length <= max) expect(pts).toEqual(xs.map((y, x) => ({ x, y })))
          // each point averages a run of k steps starting at its x; weighting by run length gives back the mean
          const k = pts.length > 1 ? pts[1].x - pts[0].x : xs.length
          const total = pts.reduce((s, p) => s + p.y * Math.min(k, xs.length - p.x), 0)
          expect(total / xs.length).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 9)
        },
      ),
    )
  })
})

describe('rendering', () => {
  it('renderSvg draws the data marks, prefixes every id, and cuts no legend label short', async () => {
    const label = 'layer 10 (tanh5): mean +0.00, std 0.66, saturated 5.72% (a long legend label)'
    const { svg, warnings } = await renderSvg(
      densityLinesSpec({
        title: 'h',
        xTitle: 'x',
        series: [{ label, histogram: histogram([0, 0.5, -0.5], { bins: 4, min: -1, max: 1 }) }],
      }),
      'p-1',
    )
    expect(warnings).toEqual([])
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toMatch(/class="mark-line role-mark/)
    expect(svg).toContain(label.replace('&', '&amp;'))
    expect(svg).not.toContain('…')
    for (const [, id] of svg.matchAll(/ id="([^"]+)"/g)) expect(id.startsWith('p-1-')).toBe(true)
  })

  it('prefixIds renames every id and every reference to it alike, so two charts on a page never share one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { minLength: 1, maxLength: 5 }),
        fc.stringMatching(/^[a-z]{1,5}-\d{1,2}$/),
        (ids, prefix) => {
          const svg = ids.map((id) => `<clipPath id="${id}"><rect/></clipPath><g clip-path="url(#${id})"></g>`).join('')
          const out = prefixIds(svg, prefix)
          for (const id of ids) {
            expect(out).toContain(` id="${prefix}-${id}"`)
            expect(out).toContain(`url(#${prefix}-${id})`)
          }
          expect(out).not.toMatch(/ id="(?![a-z]{1,5}-\d{1,2}-)/)
        },
      ),
    )
  })

  it('textWidth grows with the text and the font size, and bold is wider', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 5 }),
        fc.integer({ min: 6, max: 30 }),
        (a, b, size) => {
          expect(textWidth(a + b, size)).toBeGreaterThanOrEqual(textWidth(a, size))
          expect(textWidth(a, size + 1)).toBeGreaterThanOrEqual(textWidth(a, size))
          expect(textWidth(a, size, true)).toBeGreaterThanOrEqual(textWidth(a, size))
        },
      ),
    )
    // Helvetica: "mmm" is wider than "iii"
    expect(textWidth('mmm', 12)).toBeGreaterThan(2 * textWidth('iii', 12))
  })
})

describe('the gain explorer', () => {
  const data = explorerData(27, 3, { batch: 16, bins: 10 })

  it('every gain of the grid 0.5..3 has five tanh layers, each with an activation and a gradient histogram of density integrating to 1', () => {
    expect(GAINS[0]).toBe(0.5)
    expect(GAINS[GAINS.length - 1]).toBe(3)
    expect(GAINS).toContain(DEFAULT_GAIN)
    expect(data.layers).toHaveLength(GAINS.length * 5)
    for (const gain of GAINS)
      for (const layer of [1, 2, 3, 4, 5])
        for (const kind of ['a', 'g'] as const) {
          const bins = data.bins.filter((b) => b.gain === gain && b.layer === layer && b.kind === kind)
          expect(bins).toHaveLength(10)
          const width = bins[1].x - bins[0].x
          expect(bins.reduce((s, b) => s + b.density * width, 0)).toBeCloseTo(1, 3)
        }
  })

  it("the gain changes what the net does: the last layer's activation std rises with the gain", () => {
    const lastStd = GAINS.map((g) => data.layers.filter((l) => l.gain === g && l.layer === 5)[0].std)
    expect(lastStd[0]).toBeLessThan(0.1)
    expect(lastStd[lastStd.length - 1]).toBeGreaterThan(0.7)
    for (let i = 1; i < lastStd.length; i++) expect(lastStd[i]).toBeGreaterThan(lastStd[i - 1])
  })

  it('the spec binds the param gain to a range input from 0.5 to 3, filters the data by it, and compiles', () => {
    const spec = explorerSpec(data)
    expect(spec.params).toEqual([
      { name: 'gain', value: DEFAULT_GAIN, bind: { input: 'range', min: 0.5, max: 3, step: 0.1, name: 'gain' } },
    ])
    expect(JSON.stringify(spec)).toContain('abs(datum.gain - gain) < 0.05')
    const warnings: string[] = []
    const vg = toVega(spec, 'explorer', warnings)
    expect(warnings).toEqual([])
    expect(vg.signals?.find((s) => s.name === 'gain')).toMatchObject({ value: DEFAULT_GAIN, bind: { input: 'range' } })
  })
})

describe('small pieces', () => {
  it('fixed never prints "-0.00", signed always shows a sign, percent multiplies by 100', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 4 }), (x, d) => {
        expect(fixed(x, d)).not.toMatch(/^-0(\.0*)?$/)
        expect(Number(fixed(x, d))).toBeCloseTo(x, d - 1)
        expect(signed(x, d)).toMatch(/^[+-]/)
      }),
    )
    expect(percent(0.1234)).toBe('12.3%')
  })
})
