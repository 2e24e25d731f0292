/**
 * Timing helpers for benchmarks: warm up, then repeat until enough time has passed, and keep the
 * best of several rounds (the least disturbed by whatever else the machine is doing).
 */

export interface Timing {
  /** Seconds per call, best round. */
  readonly seconds: number
  readonly calls: number
}

/** Runs f for at least `minSeconds` per round after a warm-up; returns the best round's time per call. */
export const timeIt = (f: () => unknown, { warmup = 0.2, minSeconds = 0.3, rounds = 3 } = {}): Timing => {
  let sink = 0
  const until = (seconds: number): { calls: number; elapsed: number } => {
    const start = performance.now()
    let calls = 0,
      elapsed = 0
    do {
      const r = f()
      if (r !== undefined) sink++
      calls++
      elapsed = (performance.now() - start) / 1000
    } while (elapsed < seconds)
    return { calls, elapsed }
  }
  until(warmup)
  let best = Infinity,
    calls = 0
  for (let r = 0; r < rounds; r++) {
    const round = until(minSeconds)
    if (round.elapsed / round.calls < best) {
      best = round.elapsed / round.calls
      calls = round.calls
    }
  }
  if (sink < 0) console.log(sink) // keep the results alive
  return { seconds: best, calls }
}
