/**
 * The lab's Web Worker (bundled by build.ts, started from a Blob URL): holds one LabSession and
 * trains it in slices, posting a frame of instruments at least five times a second and reading
 * its messages between slices, so stop and reset take effect at once.
 */
import { gemmSimd } from '../../engine/kernels/gemm.ts'
import { parseNames } from '../../model/data.ts'
import { createSession, type LabSession } from './session.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

/** The part of the worker's global scope used here. */
interface WorkerScope {
  onmessage: ((e: { readonly data: ToWorker }) => void) | null
  postMessage(message: FromWorker): void
}
const scope = globalThis as unknown as WorkerScope

/** A frame every FRAME_MS while training, and a slice of steps never longer than that. */
const FRAME_MS = 100

/**
 * Runs `f` after the messages already queued (stop, reset, retune), with no timer: a timer set
 * from a timer's callback waits at least 4 ms once nested five deep, lost on every slice.
 */
const channel = new MessageChannel()
let next: (() => void) | undefined
channel.port1.onmessage = () => {
  const f = next
  next = undefined
  f?.()
}
const soon = (f: () => void): void => {
  next = f
  channel.port2.postMessage(null)
}

let words: readonly string[] = []
let session: LabSession | undefined
let run = 0
let pending = 0
/** Whether a slice is queued. */
let queued = false
let trainingMs = 0
let trainedSteps = 0
let wallStart = 0
let stepsAtStart = 0

const post = (m: FromWorker): void => scope.postMessage(m)

const sendFrame = (): void => {
  if (session === undefined) return
  const speed =
    trainedSteps > 0
      ? {
          trainingStepsPerSecond: (1000 * trainedSteps) / trainingMs,
          wallStepsPerSecond: (1000 * trainedSteps) / (performance.now() - wallStart),
        }
      : undefined
  post({
    type: 'frame',
    run,
    frame: session.frame(),
    pending,
    speed,
    firstLosses: Array.from(session.losses().subarray(0, 20)),
  })
}

const slice = (): void => {
  queued = false
  if (session === undefined || pending <= 0) return
  const started = performance.now()
  // one step first, then as many as fit in the slice by the pace so far
  while (pending > 0 && performance.now() - started < FRAME_MS) {
    const taken = session.train(1)
    pending = taken === 0 ? 0 : pending - taken
  }
  const spent = performance.now() - started
  trainingMs += spent
  trainedSteps = session.steps() - stepsAtStart
  if (session.steps() > 0 && !Number.isFinite(session.losses()[session.steps() - 1])) pending = 0
  sendFrame()
  if (pending > 0) queueSlice()
}

const queueSlice = (): void => {
  if (queued) return
  queued = true
  soon(slice)
}

const startTraining = (steps: number): void => {
  if (session === undefined) return
  if (pending === 0) {
    stepsAtStart = session.steps()
    trainingMs = 0
    trainedSteps = 0
    wallStart = performance.now()
  }
  pending += steps
  queueSlice()
}

/** No step more: a slice still queued finds nothing pending and returns. */
const stop = (): void => {
  pending = 0
}

const handle = (m: ToWorker): void => {
  switch (m.type) {
    case 'start': {
      const parsed = parseNames(m.names, 'data/names.txt')
      if (parsed._tag === 'Left') throw new Error(parsed.left.message)
      words = parsed.right
      post({ type: 'ready', kernel: gemmSimd === undefined ? 'plain' : 'simd' })
      session = createSession(words, m.settings)
      run++
      sendFrame()
      break
    }
    case 'reset':
      stop()
      session = createSession(words, m.settings)
      run++
      sendFrame()
      break
    case 'retune':
      session?.retune(m.learningRate, m.batchSize)
      break
    case 'train':
      startTraining(m.steps)
      break
    case 'stop':
      stop()
      sendFrame()
      break
  }
}

scope.onmessage = (e) => {
  try {
    handle(e.data)
  } catch (err) {
    stop()
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  }
}
