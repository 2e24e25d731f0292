/**
 * `npm start`: trains the lecture's experiments side by side on worker threads, prints the loss
 * table next to the lecture's figures, and writes results.json and the HTML reports.
 *
 * Everything that can be checked is checked before the first step (the flags, --out, the names
 * file, the split). The corpus is prepared once, on SharedArrayBuffers the workers read. A signal
 * (SIGINT, SIGTERM, SIGHUP), or the death of the process that started this one, stops every worker
 * and writes nothing. The reports are written as a set: all or nothing.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import { parseStartArgs, startUsage, type StartOptions } from './args.ts'
import type { Job, WorkerMessage, WorkerRequest } from './worker.ts'
import { checkSplitSizes, formatNamesError, readNamesFile, sampleBatch } from '../model/data.ts'
import {
  experiments,
  prepareCorpus,
  stepsFor,
  type Corpus,
  type Experiment,
  type ExperimentRun,
} from '../model/experiments.ts'
import { initModel, type LayerSpec } from '../model/nn.ts'
import { evaluateLoss, lectureSchedule, train } from '../model/train.ts'
import { seedRng } from '../engine/random.ts'
import { stopWhenTold } from '../engine/stop.ts'
import { formatResultsTable, toResults, type CorpusInfo } from '../report/results.ts'
import { abandonSetWrite, checkWritableDir, recoverInterruptedSet, writeFileSet } from '../engine/files.ts'
import { REPORT_PAGES } from '../report/parts/table.ts'

/** Examples in a batch, as the experiments train. */
const BATCH = 32

// ---------------------------------------------------------------------------------------------
// Progress: a live bar per experiment on a terminal, a plain line at each quarter otherwise

interface Progress {
  update(experiment: string, step: number, steps: number, loss: number): void
  evaluating(experiment: string, done: number, total: number): void
  done(experiment: string, seconds: number): void
  stop(): void
}

const terminalProgress = (names: readonly string[]): Progress => {
  const state = new Map(names.map((n) => [n, 'waiting']))
  const width = Math.max(...names.map((n) => n.length))
  let drawn = false
  const draw = () => {
    if (drawn) process.stdout.write(`\x1b[${names.length}A`)
    for (const n of names) process.stdout.write(`\x1b[2K${n.padEnd(width)}  ${state.get(n)}\n`)
    drawn = true
  }
  const bar = (fraction: number) => {
    const filled = Math.round(fraction * 30)
    return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}%`
  }
  let last = 0
  return {
    update(n, step, steps, loss) {
      state.set(
        n,
        `${bar(step / steps)}  step ${step.toLocaleString('en')}/${steps.toLocaleString('en')}  loss ${loss.toFixed(3)}`,
      )
      const now = performance.now()
      if (now - last > 100) {
        last = now
        draw()
      }
    },
    evaluating(n, done, total) {
      state.set(n, `${bar(1)}  evaluating ${done.toLocaleString('en')}/${total.toLocaleString('en')} examples`)
      const now = performance.now()
      if (now - last > 100) {
        last = now
        draw()
      }
    },
    done(n, seconds) {
      state.set(n, `${bar(1)}  done in ${seconds.toFixed(1)}s`)
      draw()
    },
    stop() {
      draw()
    },
  }
}

const plainProgress = (): Progress => {
  const quarter = new Map<string, number>()
  const evaluated = new Map<string, number>()
  return {
    update(n, step, steps, loss) {
      const q = Math.floor((4 * step) / steps)
      if (q > (quarter.get(n) ?? 0) && q < 4) {
        quarter.set(n, q)
        console.log(`${n}: ${25 * q}% (step ${step}/${steps}, loss ${loss.toFixed(3)})`)
      }
    },
    evaluating(n, done, total) {
      // big splits only: a line at each quarter of the evaluation
      if (total < 1_000_000) return
      const q = Math.floor((4 * done) / total)
      if (q > (evaluated.get(n) ?? 0) && q < 4) {
        evaluated.set(n, q)
        console.log(`${n}: evaluating, ${25 * q}% of ${total.toLocaleString('en')} examples`)
      }
    },
    done(n, seconds) {
      console.log(`${n}: done in ${seconds.toFixed(1)}s`)
    },
    stop() {},
  }
}

// ---------------------------------------------------------------------------------------------
// Running the experiments on a pool of workers

class ExperimentFailed extends Error {}

/** A training worker: booted once per lane and given that lane's jobs one after another. */
const startWorker = (corpus: Corpus): Worker =>
  new Worker(new URL('../engine/worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./worker.ts', import.meta.url).href, corpus },
  })

/** Runs one job on a worker that is free, reporting progress; rejects if the job fails or the worker dies. */
const runOn = (worker: Worker, job: Job, progress: Progress): Promise<ExperimentRun> =>
  new Promise((resolveRun, reject) => {
    const settle = (f: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      f()
    }
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'progress') progress.update(m.experiment, m.step, m.steps, m.loss)
      else if (m.type === 'evaluating') progress.evaluating(m.experiment, m.done, m.total)
      else if (m.type === 'done')
        settle(() => {
          progress.done(job.experiment, m.run.seconds)
          resolveRun(m.run)
        })
      else settle(() => reject(new ExperimentFailed(m.message)))
    }
    const onError = (e: Error) => settle(() => reject(new ExperimentFailed(`${job.experiment}: ${e.message}`)))
    const onExit = (code: number) =>
      settle(() =>
        reject(new ExperimentFailed(`${job.experiment}: its worker stopped (exit code ${code}) before finishing`)),
      )
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    worker.postMessage({ type: 'run', job } satisfies WorkerRequest)
  })

/** The workers running now, so that a signal can stop them. */
const live = new Set<Worker>()

/**
 * Runs jobs on `workers` lanes, longest first by `cost`, each lane one worker that trains its jobs in
 * turn (booted once, its compiled code warm for the next job); resolves in the jobs' order.
 */
const runAll = async (
  jobs: readonly Job[],
  corpus: Corpus,
  workers: number,
  progress: Progress,
  cost: (j: Job) => number,
): Promise<ExperimentRun[]> => {
  const queue = [...jobs].sort((a, b) => cost(b) - cost(a))
  const results = new Map<string, ExperimentRun>()
  const lane = async (): Promise<void> => {
    const worker = startWorker(corpus)
    live.add(worker)
    try {
      for (let job = queue.shift(); job !== undefined; job = queue.shift())
        results.set(job.experiment, await runOn(worker, job, progress))
    } finally {
      live.delete(worker)
      await worker.terminate()
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane))
  } catch (e) {
    queue.length = 0
    await Promise.all([...live].map((w) => w.terminate()))
    throw e
  }
  return jobs.map((j) => results.get(j.experiment) as ExperimentRun)
}

// ---------------------------------------------------------------------------------------------
// Stopping when told: a signal, or the process that started this one gone

let stopping = false

/** Stops every worker, removes a half-written report folder, says so and exits; writes nothing. */
const stop = (why: string, status: number): void => {
  if (stopping) return
  stopping = true
  abandonSetWrite()
  for (const w of live) void w.terminate()
  process.stderr.write(`\nnpm start: stopped (${why}); nothing was written.\n`)
  process.exit(status)
}

const watchForStop = (): void => stopWhenTold(stop)

// ---------------------------------------------------------------------------------------------
// Estimating the run's time from a short calibration

/** A full garbage collection (V8's gc(), reached without starting Node with --expose-gc). */
const collectGarbage = (): void => {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/** What an experiment's parts cost here: seconds a training step, seconds an example of evaluation. */
interface Calibration {
  readonly step: number
  readonly example: number
}

/** An architecture's kinds and sizes without how its parameters start: what a step's cost depends on. */
const architecture = (layers: readonly LayerSpec[]): string =>
  JSON.stringify(layers, (key, value) => (key === 'init' || key.endsWith('Init') ? undefined : value))

/**
 * Times a few steps of the real training loop and an evaluation of a few thousand examples, once
 * per architecture (the lecture's four MLPs differ only in how they start).
 */
const calibrate = (chosen: readonly Experiment[], corpus: Corpus, seed: number): Map<string, Calibration> => {
  const out = new Map<string, Calibration>()
  const byArchitecture = new Map<string, Calibration>()
  const examples = Math.min(corpus.train.count, 4096)
  const X = corpus.train.X.subarray(0, examples * corpus.train.blockSize),
    Y = corpus.train.Y.subarray(0, examples)
  for (const e of chosen) {
    const layers = e.layers(corpus.vocab.size)
    const known = byArchitecture.get(architecture(layers))
    if (known !== undefined) {
      out.set(e.name, known)
      continue
    }
    const [model, s0] = initModel(layers)(seedRng(seed))
    const draw = sampleBatch(corpus.train, BATCH)
    const run = (steps: number) => train(model, s0, draw, { name: e.name, steps, schedule: lectureSchedule(steps) })
    // warm up until the code is compiled (a fifth of a second), as it is in a worker for all but
    // its first moments: cold steps are several times slower and would inflate the estimate
    let t = performance.now()
    while (performance.now() - t < 200) run(10)
    t = performance.now()
    const steps = 30
    run(steps)
    const step = (performance.now() - t) / 1000 / steps
    evaluateLoss(model, X, Y) // the first call compiles and sizes the kernels' memory
    t = performance.now()
    evaluateLoss(model, X, Y)
    const c = { step, example: (performance.now() - t) / 1000 / examples }
    byArchitecture.set(architecture(layers), c)
    out.set(e.name, c)
  }
  return out
}

/** The longest lane when jobs of these costs are given, longest first, to `workers` lanes. */
const makespan = (costs: readonly number[], workers: number): number => {
  const lanes = new Array<number>(Math.max(1, workers)).fill(0)
  for (const c of [...costs].sort((a, b) => b - a)) {
    const i = lanes.indexOf(Math.min(...lanes))
    lanes[i] += c
  }
  return Math.max(...lanes)
}

const formatDuration = (seconds: number): string => {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

// ---------------------------------------------------------------------------------------------

const main = async (options: StartOptions): Promise<number> => {
  const started = performance.now()
  watchForStop()
  const fail = (message: string): number => {
    console.error(`npm start: ${message}`)
    return 1
  }
  // 1. the folder the reports go to (put right first if a run was killed while writing into it)
  for (const line of recoverInterruptedSet(options.out)) console.error(`npm start: ${line}`)
  const outChecked = checkWritableDir(options.out)
  if (E.isLeft(outChecked)) return fail(`--out: ${outChecked.left}`)
  const out = outChecked.right
  // 2. the names and the split
  let corpus: Corpus
  {
    const words = readNamesFile(options.data)
    if (E.isLeft(words)) return fail(formatNamesError(words.left))
    // one byte an index (the vocabulary is '.' and a-z), on memory the workers share
    const shared = (length: number) => new Uint8Array(new SharedArrayBuffer(length))
    corpus = prepareCorpus(words.right, options.seed, options.split, shared)
    const sizes = checkSplitSizes(
      options.data,
      corpus.words,
      { train: corpus.train.count, val: corpus.val.count, test: corpus.test.count },
      BATCH,
    )
    if (E.isLeft(sizes)) return fail(formatNamesError(sizes.left))
  }
  // a big names file leaves hundreds of MB of strings behind once its examples are built: collect
  // them now, before the workers start, rather than whenever V8 next needs room
  if (corpus.words > 1_000_000) collectGarbage()
  const corpusInfo: CorpusInfo = {
    source: options.data,
    words: corpus.words,
    vocabSize: corpus.vocab.size,
    trainExamples: corpus.train.count,
    valExamples: corpus.val.count,
    testExamples: corpus.test.count,
  }
  const chosen = experiments.filter((e) => options.only.includes(e.name))
  const jobs: Job[] = chosen.map((e) => ({
    experiment: e.name,
    seed: options.seed,
    steps: stepsFor(e, options.steps),
  }))
  const workers = Math.min(options.workers ?? Math.max(1, availableParallelism()), jobs.length)
  console.log(
    `${corpusInfo.words.toLocaleString('en')} names from ${options.data} (${corpusInfo.vocabSize} tokens; ${corpusInfo.trainExamples.toLocaleString('en')} training examples)`,
  )
  // 3. a short calibration: seconds a step, hence the run's time
  const perStep = calibrate(chosen, corpus, options.seed)
  const evalExamples = corpus.train.count + corpus.val.count
  const cost = (j: Job) => {
    const c = perStep.get(j.experiment)
    return c === undefined ? 0 : c.step * j.steps + c.example * evalExamples
  }
  const estimate = makespan(jobs.map(cost), Math.min(workers, availableParallelism()))
  console.log(
    `${jobs.length} experiments, ${options.steps.toLocaleString('en')} steps each, seed ${options.seed}${options.split === 'python' ? " (Python's shuffle for the split)" : ''}, ${workers} worker threads; about ${formatDuration(estimate)} of training by a short calibration\n`,
  )

  // While the workers train, the main thread loads the report layer (vega, vega-lite, esbuild) and
  // builds the lab's bundle, whose nav, like every page's, lists the kata pages drawn beside the
  // reports. It starts a second into training (or when training ends, if sooner), so that a run
  // refused or stopped before then never pays for them; failures are judged after training.
  const loadReportLayer = async () => {
    const [index, { vegaBrowserRuntime }, { buildLab }] = await Promise.all([
      import('../report/index.ts'),
      import('../report/render.ts'),
      import('../report/lab/build.ts'),
    ])
    const lab = await buildLab(index.siteNav(REPORT_PAGES, index.kataPagesBeside(out)))
    return { ...index, vegaBrowserRuntime, lab }
  }
  let layer: ReturnType<typeof loadReportLayer> | undefined
  const reportLayer = () => {
    layer ??= loadReportLayer()
    layer.catch(() => {})
    return layer
  }
  const early = setTimeout(reportLayer, 1000).unref()

  // 4. training
  const progress = process.stdout.isTTY ? terminalProgress(chosen.map((e) => e.name)) : plainProgress()
  let runs: ExperimentRun[]
  try {
    runs = await runAll(jobs, corpus, workers, progress, cost)
  } catch (e) {
    progress.stop()
    if (e instanceof ExperimentFailed) {
      console.error(`\nnpm start: ${e.message}\nNothing was written.`)
      return 1
    }
    throw e
  }
  progress.stop()

  const results = toResults(runs, corpusInfo, options.seed, options.split)
  console.log(`\n${formatResultsTable(results)}\n`)
  for (const r of results.experiments) console.log(`${r.name.padEnd(15)} ${r.samples.slice(0, 6).join(' ')}`)

  // 5. the reports, rendered in memory, then written as one set
  clearTimeout(early)
  const { kataPagesBeside, renderReports, vegaBrowserRuntime, lab } = await reportLayer()
  const pages = await renderReports(
    {
      runs,
      corpus: corpusInfo,
      options: { steps: options.steps, seed: options.seed, split: options.split, full: options.full },
    },
    vegaBrowserRuntime,
    kataPagesBeside(out),
  )
  const files = [
    ...pages.map((p) => ({ name: p.file, content: p.html })),
    { name: lab.file, content: lab.content },
    { name: 'results.json', content: `${JSON.stringify(results, null, 2)}\n` },
  ]
  const written = writeFileSet(out, files)
  if (E.isLeft(written))
    return fail(
      `could not write ${written.left.file}: ${written.left.reason}. The reports in ${options.out} are left as they were.`,
    )
  console.log(`\nwrote ${join(out, 'results.json')}, ${pages.length - 1} report pages and the lab`)
  console.log(`open ${join(out, 'index.html')}`)
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)}s in all)`)
  return 0
}

const parsed = parseStartArgs(process.argv.slice(2))
if (E.isLeft(parsed)) {
  console.error(`npm start: ${parsed.left}\n\n${startUsage}`)
  process.exitCode = 2
} else if (parsed.right.kind === 'help') {
  console.log(startUsage)
} else {
  process.exitCode = await main(parsed.right.options)
}
