/// <reference lib="dom" />
/**
 * The lab page's script (bundled by build.ts with vega): reads the controls, starts the training
 * worker from a Blob URL (so the page works from file://), and redraws the instruments from the
 * worker's frames. Each chart is one vega View for the page's whole life, built from a layout
 * compiled when the page was built (charts.ts); a frame only swaps its data sets, one chart per
 * task, so the page never blocks and makes little garbage.
 */
import * as vega from 'vega'
import { gains } from '../../model/init.ts'
import type { LabSettings } from '../../model/configure.ts'
import type { Finding } from '../../instruments/diagnostics.ts'
import { LAB_CHARTS, labChartData, type ChartData, type LabChart } from './charts.ts'
import { decodeSettings, encodeSettings } from './hash.ts'
import type { FromWorker, Speed, ToWorker } from './protocol.ts'

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`lab page: no element #${id}`)
  return el as T
}

// ---------------------------------------------------------------------------------------------
// Charts: one view each, fed new data sets

interface LiveChart {
  update(d: ChartData): Promise<void>
}

/** Data sets of a few rows (a reference line's label) are sent again only when they change. */
const SMALL = 4

const liveChart = (container: HTMLElement, spec: vega.Spec): LiveChart => {
  let view: vega.View | undefined
  const sent = new Map<string, string>()
  return {
    async update({ data, signals }) {
      if (view === undefined) {
        view = new vega.View(vega.parse(spec), { renderer: 'canvas', container, hover: false })
        // every frame replaces every point: drop the replaced ones at once rather than keep
        // 10,000 of them per mark (vega's default), which grows the heap and lengthens each GC
        ;(view as unknown as { cleanThreshold: number }).cleanThreshold = 0
      }
      for (const [name, values] of Object.entries(data)) {
        if (values.length <= SMALL) {
          const text = JSON.stringify(values)
          if (sent.get(name) === text) continue
          sent.set(name, text)
        }
        view.data(name, values as object[])
      }
      for (const [name, value] of Object.entries(signals ?? {})) view.signal(name, value)
      await view.runAsync()
      container.dataset.updates = String(Number(container.dataset.updates ?? '0') + 1)
    },
  }
}

/** While training, a chart out of sight is redrawn every this many frames (the worker trains on a core the page shares). */
const OFFSCREEN_EVERY = 5

/** Lets the browser run other tasks (input, paint) before the next chart. */
const yieldToBrowser = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

// ---------------------------------------------------------------------------------------------
// Tables and findings

const pct = (x: number) => `${(100 * x).toFixed(1)}%`
const num = (x: number) =>
  Number.isFinite(x) ? (Math.abs(x) < 0.01 && x !== 0 ? x.toExponential(2) : x.toFixed(3)) : String(x)
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const statsTable = (head: string[], rows: string[][]): string =>
  `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`

/** The HTML last written into each element: an unchanged table or finding is not laid out again. */
const written = new WeakMap<HTMLElement, string>()
const setHtml = (el: HTMLElement, html: string): void => {
  if (written.get(el) === html) return
  written.set(el, html)
  el.innerHTML = html
}

const shown = new Map<string, number>()
const renderFindings = (findings: readonly Finding[], step: number): void => {
  const el = $('findings')
  const keys = new Set(findings.map((f) => `${f.kind}@${f.where}`))
  for (const k of [...shown.keys()]) if (!keys.has(k)) shown.delete(k)
  for (const k of keys) if (!shown.has(k)) shown.set(k, step)
  setHtml(
    el,
    findings.length === 0
      ? '<p class="healthy">diagnose(): no findings, the network looks healthy.</p>'
      : findings
          .map((f) => {
            const since = shown.get(`${f.kind}@${f.where}`) ?? step
            return `<div class="finding" data-kind="${f.kind}"><span class="kind">${f.kind}</span> <b>${esc(f.where)}</b>: ${esc(f.title)} <span class="since">(since step ${since})</span><br>${esc(f.message)}<br><i>Fix:</i> ${esc(f.fix)}</div>`
          })
          .join(''),
  )
  el.dataset.kinds = findings.map((f) => f.kind).join(' ')
}

// ---------------------------------------------------------------------------------------------
// Controls

/**
 * A number input shows a rounded value (gain 1.6667, learning rate 0.1 from the slider's log
 * scale) but keeps the exact one it was given in data-exact, so 5/3 from a link or the 5/3
 * button stays 5/3 and the run is the same as in Node; a value the learner types replaces it.
 */
const exactValue = (id: string, shown: number): number => {
  const el = $<HTMLInputElement>(id)
  const exact = Number(el.dataset.exact)
  return Number.isFinite(exact) && Math.abs(shown - exact) <= 1e-4 * Math.max(1, Math.abs(exact)) ? exact : shown
}

const setExact = (id: string, shown: string, exact: number): void => {
  const el = $<HTMLInputElement>(id)
  el.value = shown
  el.dataset.exact = String(exact)
}

const readSettings = (): LabSettings => ({
  network: $<HTMLSelectElement>('network').value as LabSettings['network'],
  depth: Number($<HTMLInputElement>('depth').value),
  width: Number($<HTMLInputElement>('width').value),
  activation: $<HTMLSelectElement>('activation').value as LabSettings['activation'],
  init: $<HTMLSelectElement>('init').value as LabSettings['init'],
  gain: exactValue('gain', Number($<HTMLInputElement>('gain').value)),
  batchNorm: $<HTMLInputElement>('batchnorm').checked,
  learningRate: (() => {
    const shown = Number((10 ** Number($<HTMLInputElement>('lr').value)).toPrecision(3))
    const exact = Number($<HTMLInputElement>('lr').dataset.exact)
    // the slider snaps to 0.05 decades: within half a step, the exact rate it was given stands
    return Number.isFinite(exact) && Math.abs(Math.log10(exact) - Math.log10(shown)) <= 0.025 ? exact : shown
  })(),
  batchSize: Number($<HTMLSelectElement>('batch').value),
  seed: Number($<HTMLInputElement>('seed').value),
})

const writeSettings = (s: LabSettings): void => {
  $<HTMLSelectElement>('network').value = s.network
  $<HTMLInputElement>('depth').value = String(s.depth)
  $<HTMLInputElement>('width').value = String(s.width)
  $<HTMLSelectElement>('activation').value = s.activation
  $<HTMLSelectElement>('init').value = s.init
  setExact('gain', String(Number(s.gain.toFixed(4))), s.gain)
  $<HTMLInputElement>('batchnorm').checked = s.batchNorm
  setExact('lr', String(Math.log10(s.learningRate)), s.learningRate)
  const batch = $<HTMLSelectElement>('batch')
  if (!Array.from(batch.options).some((o) => o.value === String(s.batchSize)))
    batch.add(new Option(String(s.batchSize), String(s.batchSize)))
  batch.value = String(s.batchSize)
  $<HTMLInputElement>('seed').value = String(s.seed)
}

const showValues = (s: LabSettings): void => {
  $('depth-value').textContent = String(s.depth)
  $('width-value').textContent = String(s.width)
  $('lr-value').textContent = String(s.learningRate)
  $<HTMLInputElement>('gain').disabled = s.init !== 'kaiming'
  const share = $<HTMLAnchorElement>('share')
  share.href = `#${encodeSettings(s)}`
}

// ---------------------------------------------------------------------------------------------
// Boot

const boot = (): void => {
  const workerSource = $('lab-worker').textContent ?? ''
  const names = $('lab-names').textContent ?? ''
  const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })))
  const send = (m: ToWorker) => worker.postMessage(m)

  const decoded = decodeSettings(location.hash)
  writeSettings(decoded.settings)
  if (decoded.problems.length > 0) $('notice').textContent = `From the link: ${decoded.problems.join('; ')}.`
  let settings = readSettings()
  showValues(settings)

  const layouts = JSON.parse($('lab-charts').textContent ?? '{}') as Record<LabChart, vega.Spec>
  const charts = LAB_CHARTS.map((id) => liveChart($(`chart-${id}`), layouts[id]))
  // a chart scrolled out of sight is redrawn every OFFSCREEN_EVERY-th frame and when training stops
  const visible = new Set<string>()
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) visible.add(e.target.id)
      else visible.delete(e.target.id)
    }
  })
  for (const id of LAB_CHARTS) observer.observe($(`chart-${id}`))
  let frameCount = 0

  let latest: Extract<FromWorker, { type: 'frame' }> | undefined
  let drawing = false
  const status = $('status')
  let kernel = '?'
  let lastSpeed: Speed | undefined

  const draw = async (): Promise<void> => {
    if (drawing) return
    drawing = true
    try {
      while (latest !== undefined) {
        const m = latest
        latest = undefined
        const f = m.frame
        if (m.speed !== undefined) lastSpeed = m.speed
        status.textContent =
          `step ${f.step.toLocaleString('en')} · loss ${f.lastLoss.toFixed(4)} · ${f.parameters.toLocaleString('en')} parameters · matmul kernel: ${kernel}` +
          (lastSpeed === undefined ? '' : ` · ${lastSpeed.trainingStepsPerSecond.toFixed(0)} steps/s`) +
          (f.diverged ? ' · the loss is no longer finite: lower the learning rate and reset' : '') +
          (m.pending > 0 ? ' · training…' : '')
        const root = document.documentElement.dataset
        root.step = String(f.step)
        root.run = String(m.run)
        root.pending = String(m.pending)
        root.firstLosses = JSON.stringify(m.firstLosses)
        if (lastSpeed !== undefined) root.stepsPerSecond = String(lastSpeed.trainingStepsPerSecond)
        renderFindings(f.findings, f.step)
        setHtml(
          $('stats-activations'),
          statsTable(
            ['layer', 'mean', 'std', 'saturated'],
            f.activationStats.map((s) => [s.name, num(s.mean), num(s.std), pct(s.saturated)]),
          ),
        )
        setHtml(
          $('stats-gradients'),
          statsTable(
            ['layer', 'mean', 'std'],
            f.gradientStats.map((s) => [s.name, num(s.mean), num(s.std)]),
          ),
        )
        setHtml(
          $('stats-weights'),
          statsTable(
            ['weight', 'grad std', 'grad:data'],
            f.weightStats.map((s) => [s.name, num(s.std), num(s.gradToData)]),
          ),
        )
        const data = labChartData(f)
        let busy = 0
        const per: string[] = []
        frameCount++
        for (const [i, id] of LAB_CHARTS.entries()) {
          if (m.pending > 0 && !visible.has(`chart-${id}`) && frameCount % OFFSCREEN_EVERY !== 0) continue
          await yieldToBrowser()
          const t = performance.now()
          await charts[i].update(data[id])
          busy += performance.now() - t
          per.push((performance.now() - t).toFixed(0))
        }
        root.drawMs = `${busy.toFixed(1)} ${per.join(',')}`
        root.frames = String(Number(root.frames ?? '0') + 1)
      }
    } catch (e) {
      console.error(e)
      $('notice').textContent = `The charts failed: ${e instanceof Error ? e.message : String(e)}`
    } finally {
      drawing = false
    }
  }

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data
    if (m.type === 'ready') {
      kernel = m.kernel
      document.documentElement.dataset.kernel = m.kernel
    } else if (m.type === 'frame') {
      latest = m
      void draw()
    } else {
      $('notice').textContent = `The worker stopped: ${m.message}`
      document.documentElement.dataset.error = m.message
    }
  }
  worker.onerror = (e) => {
    $('notice').textContent = `The worker failed: ${e.message}`
    document.documentElement.dataset.error = e.message
  }

  // structure and seed start a new run; the learning rate and batch size carry on the current one
  const structural: (keyof LabSettings)[] = [
    'network',
    'depth',
    'width',
    'activation',
    'init',
    'gain',
    'batchNorm',
    'seed',
  ]
  const onChange = (): void => {
    const next = readSettings()
    showValues(next)
    history.replaceState(null, '', `#${encodeSettings(next)}`)
    const restart = structural.some((k) => next[k] !== settings[k])
    settings = next
    if (restart) send({ type: 'reset', settings })
    else send({ type: 'retune', learningRate: settings.learningRate, batchSize: settings.batchSize })
  }
  for (const id of ['depth', 'width', 'activation', 'init', 'gain', 'batchnorm', 'lr', 'batch', 'seed'])
    $(id).addEventListener('change', onChange)
  for (const id of ['depth', 'width', 'lr']) $(id).addEventListener('input', () => showValues(readSettings()))
  $('network').addEventListener('change', () => {
    // each network starts from the lecture's sizes; the sliders can then take it anywhere
    const next = readSettings()
    const deep = next.network === 'deep'
    writeSettings({ ...next, depth: deep ? 5 : 1, width: deep ? 100 : 200 })
    onChange()
  })
  const setGain = (g: number) => {
    writeSettings({ ...readSettings(), init: 'kaiming', gain: g })
    onChange()
  }
  $('gain-tanh').addEventListener('click', () => setGain(gains.tanh))
  $('gain-relu').addEventListener('click', () => setGain(gains.relu))
  $('gain-one').addEventListener('click', () => setGain(1))
  $('step').addEventListener('click', () => send({ type: 'train', steps: 1 }))
  $('train').addEventListener('click', () => send({ type: 'train', steps: 1000 }))
  $('stop').addEventListener('click', () => send({ type: 'stop' }))
  $('reset').addEventListener('click', () => send({ type: 'reset', settings }))
  window.addEventListener('hashchange', () => {
    const d = decodeSettings(location.hash)
    if (encodeSettings(d.settings) === encodeSettings(settings)) return
    writeSettings(d.settings)
    onChange()
  })

  send({ type: 'start', names, settings })
}

boot()
