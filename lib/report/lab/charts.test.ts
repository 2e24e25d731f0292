import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as vega from 'vega'
import { compile } from 'vega-lite'
import { LAB_CHARTS, labChartData, labLayouts, type LabChart } from './charts.ts'
import { createSession } from './session.ts'
import { colorOf } from '../specs.ts'
import { lectureDeep, lectureMlp, type LabSettings } from '../../model/configure.ts'
import { labSettings } from '../../model/arbitraries.ts'
import { readNamesOrThrow } from '../../model/data.ts'

const words = readNamesOrThrow('data/names.txt')
const names = words
const compiled = Object.fromEntries(Object.entries(labLayouts()).map(([id, l]) => [id, compile(l).spec])) as Record<
  LabChart,
  vega.Spec
>

/** What vega reported while the views ran: it logs a failed operator (an axis it cannot tick) rather than throw. */
const logged: string[] = []
const logger = vega.logger(vega.Error, undefined, (_method, level, input) => {
  logged.push(`${level}: ${Array.from(input as ArrayLike<unknown>).join(' ')}`)
})

/** One view per chart, as the page keeps them, headless. */
const views = () =>
  Object.fromEntries(
    LAB_CHARTS.map((id) => [id, new vega.View(vega.parse(compiled[id]), { renderer: 'none', logger })]),
  ) as Record<LabChart, vega.View>

/** Feeds a frame's data sets and signals to the views, as the page does. */
const show = async (vs: Record<LabChart, vega.View>, settings: LabSettings, steps: number) => {
  const session = createSession(names, settings)
  session.train(steps)
  const frame = session.frame()
  const data = labChartData(frame)
  logged.length = 0
  for (const id of LAB_CHARTS) {
    for (const [name, values] of Object.entries(data[id].data)) vs[id].data(name, values as object[])
    for (const [name, value] of Object.entries(data[id].signals ?? {})) vs[id].signal(name, value)
    await vs[id].runAsync()
    expect(logged, `${id} at step ${frame.step} of ${JSON.stringify(settings)}`).toEqual([])
  }
  return frame
}

/** Each series of a chart drawn in the colour every other page gives it, and the x range of the histograms. */
const expectDrawn = (vs: Record<LabChart, vega.View>, frame: Awaited<ReturnType<typeof show>>) => {
  const density = { activations: frame.activations, gradients: frame.gradients, weights: frame.weightGradients }
  for (const [id, series] of Object.entries(density)) {
    const color = vs[id as LabChart].scale('color')
    expect(color.domain(), id).toEqual(series.map((s) => s.label))
    for (const s of series) expect(color(s.label), `${id} ${s.label}`).toBe(colorOf(s.label))
    const h = series[0].histogram
    expect(vs[id as LabChart].scale('x').domain(), id).toEqual([h.min, h.max])
  }
  const update = vs.update.scale('color')
  expect(update.domain()).toEqual(frame.updateToData.map((u) => u.name))
  for (const u of frame.updateToData) expect(update(u.name), u.name).toBe(colorOf(u.name))
  expect(vs.depth.data('rows')).toHaveLength(2 * frame.activationStats.length)
  expect(vs.loss.scale('x').domain()[1]).toBe(frame.loss.at(-1)?.[0] ?? 0)
}

describe("the lab's charts", () => {
  it('are layouts without data: the same for every network, so the page compiles none of them', () => {
    expect(labLayouts()).toEqual(labLayouts())
    const inline = JSON.stringify(labLayouts()).match(/"values":\[[^\]]*\]/g)
    // the one inline data set: update:data's healthy band
    expect(inline).toEqual(['"values":[{"lo":-4,"hi":-2}]'])
  })

  it('one set of views shows every network in turn, each series in its site-wide colour', async () => {
    const vs = views()
    for (const [settings, steps] of [
      [{ ...lectureDeep, seed: 1 }, 3],
      [{ ...lectureDeep, depth: 10, batchNorm: true, seed: 2 }, 2],
      [{ ...lectureMlp, seed: 3 }, 0],
      [{ ...lectureDeep, depth: 2, activation: 'relu', seed: 4 }, 1],
      [{ ...lectureDeep, depth: 3, activation: 'none', width: 10, seed: 5 }, 1],
    ] as const)
      expectDrawn(vs, await show(vs, settings, steps))
  })

  it('any settings a learner can choose draw in their colours over their histograms (a law)', async () => {
    const vs = views()
    await fc.assert(
      fc.asyncProperty(labSettings, fc.integer({ min: 0, max: 2 }), async (settings, steps) => {
        expectDrawn(vs, await show(vs, { ...settings, width: Math.min(settings.width, 60) }, steps))
      }),
      { numRuns: 12 },
    )
  })
})
