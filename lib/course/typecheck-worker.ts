/**
 * The type checker of `npm run watch` on a worker thread, so that checking the learner's file runs
 * beside the kata's checks instead of holding up the main thread that serves them. It keeps its
 * program between saves; each message is a kata to check, each answer its first type error.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { kataTypeChecker } from './typecheck.ts'

if (parentPort !== null) {
  const port = parentPort
  const check = kataTypeChecker((workerData as { root: string }).root)
  port.on('message', (kata: string) => port.postMessage(check([kata]).get(kata) ?? null))
}
