/**
 * The worker thread that draws a kata page (`npm run report`, `npm run watch`): it imports a kata module, builds the kata's page from it
 * and posts the page back.
 *
 * It runs the learner's code off the main thread so that code which never returns can be stopped:
 * each call into the module's exports bumps a counter in memory shared with the main thread and
 * records which function is running, so the main thread sees a stall and can name the function.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { NotImplementedYet } from './kata.ts'
import { kataNumber } from '../report/parts/table.ts'
import { kataPages, makeContext, type PageBody } from './kata-pages.ts'

/** What the main thread asks for. */
export interface DrawJob {
  readonly root: string
  /** The kata, e.g. 03-kaiming. */
  readonly kata: string
  /** The module to draw from: the learner's kata.ts or the reference answers. */
  readonly file: string
  readonly solutions: boolean
}

/**
 * The shared progress record, an Int32Array over a SharedArrayBuffer:
 * [CALLS] counts calls into the kata's exports started and finished,
 * [RUNNING] is the index (in the `exports` message) of the innermost one still running, or -1,
 * [LAST] is the index of the last one started, or -1.
 */
export const CALLS = 0,
  RUNNING = 1,
  LAST = 2,
  PROGRESS_SLOTS = 3

export type DrawMessage =
  /** The worker has loaded the project's code and is about to import the kata's. */
  | { readonly type: 'started' }
  /** The module loaded; these are its function exports, the indices of the progress record. */
  | { readonly type: 'exports'; readonly names: readonly string[] }
  | { readonly type: 'drawn'; readonly body: PageBody }
  /** A stub threw NotImplementedYet. */
  | { readonly type: 'unwritten'; readonly fn: string }
  /** The module's code threw; `where` is the first stack line inside the kata's folder. */
  | { readonly type: 'failed'; readonly message: string; readonly where?: string }
  | { readonly type: 'unloadable'; readonly message: string }

/** The first NotImplementedYet in an error or its causes. */
export const notImplementedIn = (e: unknown): NotImplementedYet | undefined => {
  for (let x: unknown = e; typeof x === 'object' && x !== null; x = (x as { cause?: unknown }).cause) {
    if (x instanceof NotImplementedYet || (x as { name?: unknown }).name === 'NotImplementedYet')
      return x as NotImplementedYet
  }
  return undefined
}

/**
 * The module with every exported function (and class) wrapped to record its calls in `progress`.
 * Calls the module makes to its own functions are not seen: the outermost call is the one named.
 */
export const trackCalls = (
  module: Record<string, unknown>,
  progress: Int32Array,
): { tracked: Record<string, unknown>; names: string[] } => {
  const names = Object.keys(module).filter((k) => typeof module[k] === 'function')
  const running: number[] = []
  const enter = (i: number) => {
    running.push(i)
    Atomics.store(progress, LAST, i)
    Atomics.store(progress, RUNNING, i)
    Atomics.add(progress, CALLS, 1)
  }
  const leave = () => {
    running.pop()
    Atomics.store(progress, RUNNING, running.length === 0 ? -1 : running[running.length - 1])
    Atomics.add(progress, CALLS, 1)
  }
  const around = <T>(i: number, run: () => T): T => {
    enter(i)
    try {
      return run()
    } finally {
      leave()
    }
  }
  const tracked: Record<string, unknown> = { ...module }
  names.forEach((name, i) => {
    tracked[name] = new Proxy(module[name] as (...args: unknown[]) => unknown, {
      apply: (target, self, args) => around(i, () => Reflect.apply(target, self, args)),
      construct: (target, args, newTarget) => around(i, () => Reflect.construct(target, args, newTarget)),
    })
  })
  return { tracked, names }
}

const post = (m: DrawMessage): void => parentPort?.postMessage(m)
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const draw = async ({ root, kata, file, solutions }: DrawJob, progress: Int32Array): Promise<DrawMessage> => {
  const page = kataPages[kataNumber(kata)]
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (e) {
    return { type: 'unloadable', message: message(e) }
  }
  const { tracked, names } = trackCalls(module, progress)
  post({ type: 'exports', names })
  try {
    const ctx = makeContext(root, { seed: 42, kata, solutions })
    return { type: 'drawn', body: await page.build(tracked as never, ctx) }
  } catch (e) {
    const stub = notImplementedIn(e)
    if (stub !== undefined) return { type: 'unwritten', fn: stub.fn }
    const where =
      e instanceof Error
        ? (e.stack ?? '')
            .split('\n')
            .find((l) => l.includes(`/katas/${kata}/`) || l.includes(`/solutions/${kata}/`))
            ?.trim()
        : undefined
    return { type: 'failed', message: message(e), ...(where === undefined ? {} : { where }) }
  }
}

if (parentPort !== null) {
  const { job, progress } = workerData as { job: DrawJob; progress: SharedArrayBuffer }
  post({ type: 'started' })
  post(await draw(job, new Int32Array(progress)))
}
