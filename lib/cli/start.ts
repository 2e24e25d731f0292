/**
 * `npm start`: trains the lecture's experiments side by side on worker threads, prints the loss
 * table next to the lecture's figures, and writes results.json and the HTML reports.
 * Nothing is written unless every experiment finished.
 */
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import { parseStartArgs, startUsage, type StartOptions } from './args.ts'
import type { Job, WorkerMessage } from './worker.ts'
import { formatNamesError, readNamesFile } from '../model/data.ts'
import { experiments, prepareCorpus, stepsFor, type ExperimentRun } from '../model/experiments.ts'
import { formatResultsTable, toResults, type CorpusInfo } from '../report/results.ts'
import { writeFileAtomic } from '../engine/files.ts'
import { writeReports } from '../report/index.ts'
import { buildLab } from '../report/lab/build.ts'

// ---------------------------------------------------------------------------------------------
// Progress: a live bar per experiment on a terminal, a plain line at each quarter otherwise

interface Progress {
  update(experiment: string, step: number, steps: number, loss: number): void
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
  return {
    update(n, step, steps, loss) {
      const q = Math.floor((4 * step) / steps)
      if (q > (quarter.get(n) ?? 0) && q < 4) {
        quarter.set(n, q)
        console.log(`${n}: ${25 * q}% (step ${step}/${steps}, loss ${loss.toFixed(3)})`)
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

const runInWorker = (job: Job, progress: Progress, live: Set<Worker>): Promise<ExperimentRun> =>
  new Promise((resolveRun, reject) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./worker.ts', import.meta.url).href, job },
    })
    live.add(worker)
    let settled = false
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true
        live.delete(worker)
        void worker.terminate()
        f()
      }
    }
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') progress.update(m.experiment, m.step, m.steps, m.loss)
      else if (m.type === 'done')
        settle(() => {
          progress.done(job.experiment, m.run.seconds)
          resolveRun(m.run)
        })
      else settle(() => reject(new ExperimentFailed(m.message)))
    })
    worker.on('error', (e) => settle(() => reject(new ExperimentFailed(`${job.experiment}: ${e.message}`))))
    worker.on('exit', (code) =>
      settle(() =>
        reject(new ExperimentFailed(`${job.experiment}: its worker stopped (exit code ${code}) before finishing`)),
      ),
    )
  })

/** Runs jobs, at most `workers` at once, longest first; resolves in the jobs' order. */
const runAll = async (jobs: readonly Job[], workers: number, progress: Progress): Promise<ExperimentRun[]> => {
  const cost = (j: Job) => j.steps * (j.experiment.startsWith('deep') ? 4 : j.experiment === 'batchnorm' ? 1.4 : 1)
  const queue = [...jobs].sort((a, b) => cost(b) - cost(a))
  const results = new Map<string, ExperimentRun>()
  const live = new Set<Worker>()
  const lane = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift())
      results.set(job.experiment, await runInWorker(job, progress, live))
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

const main = async (options: StartOptions): Promise<number> => {
  const started = performance.now()
  const words = readNamesFile(options.data)
  if (E.isLeft(words)) {
    console.error(`npm start: ${formatNamesError(words.left)}`)
    return 1
  }
  const corpus = prepareCorpus(words.right, options.seed, options.split)
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
    words: words.right,
    seed: options.seed,
    split: options.split,
    steps: stepsFor(e, options.steps),
  }))
  const workers = options.workers ?? Math.max(1, availableParallelism())
  console.log(
    `${corpusInfo.words.toLocaleString('en')} names from ${options.data} (${corpusInfo.vocabSize} tokens; ${corpusInfo.trainExamples.toLocaleString('en')} training examples)`,
  )
  console.log(
    `${jobs.length} experiments, ${options.steps.toLocaleString('en')} steps each, seed ${options.seed}${options.split === 'python' ? " (Python's shuffle for the split)" : ''}, ${Math.min(workers, jobs.length)} worker threads\n`,
  )

  const progress = process.stdout.isTTY ? terminalProgress(chosen.map((e) => e.name)) : plainProgress()
  let runs: ExperimentRun[]
  try {
    runs = await runAll(jobs, workers, progress)
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

  const out = resolve(options.out)
  const summary = await writeReports(out, {
    runs,
    corpus: corpusInfo,
    options: { steps: options.steps, seed: options.seed, split: options.split, full: options.full },
  })
  writeFileAtomic(resolve(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  const lab = await buildLab()
  writeFileAtomic(resolve(out, lab.file), lab.content)
  console.log(`\nwrote ${resolve(out, 'results.json')} and ${summary.pages.length} report pages`)
  console.log(`open ${summary.index}`)
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
