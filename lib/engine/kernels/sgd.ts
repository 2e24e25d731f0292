/**
 * An SGD update that measures as it goes: the standard deviations of a gradient and of the
 * parameter it moves (the update:data ratio's two figures, taken before the move), then
 * p += c * g, in two passes over the pair instead of five (moments' two over each, the update's
 * one). The sums are moments' own (ops.ts): four running sums over every fourth value, the finite
 * values only, the same additions in the same order, so the figures have moments' bits and the
 * parameters addScaled's (sgd.test.ts checks both).
 */

/** Writes std(g) to stds[at] and std(p) to stds[at + 1] (NaN where no value is finite), then p[i] += c * g[i]. */
export const updateMeasured = (p: Float64Array, g: Float64Array, c: number, stds: Float64Array, at: number): void => {
  const len = p.length
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0,
    np = 0,
    g0 = 0,
    g1 = 0,
    g2 = 0,
    g3 = 0,
    ng = 0,
    i = 0
  for (; i + 4 <= len; i += 4) {
    const a = p[i],
      b = p[i + 1],
      e = p[i + 2],
      d = p[i + 3]
    if (a - a + (b - b) + (e - e) + (d - d) === 0) {
      p0 += a
      p1 += b
      p2 += e
      p3 += d
      np += 4
    } else {
      if (a - a === 0) {
        p0 += a
        np++
      }
      if (b - b === 0) {
        p1 += b
        np++
      }
      if (e - e === 0) {
        p2 += e
        np++
      }
      if (d - d === 0) {
        p3 += d
        np++
      }
    }
    const u = g[i],
      v = g[i + 1],
      w = g[i + 2],
      x = g[i + 3]
    if (u - u + (v - v) + (w - w) + (x - x) === 0) {
      g0 += u
      g1 += v
      g2 += w
      g3 += x
      ng += 4
    } else {
      if (u - u === 0) {
        g0 += u
        ng++
      }
      if (v - v === 0) {
        g1 += v
        ng++
      }
      if (w - w === 0) {
        g2 += w
        ng++
      }
      if (x - x === 0) {
        g3 += x
        ng++
      }
    }
  }
  for (; i < len; i++) {
    if (p[i] - p[i] === 0) {
      p0 += p[i]
      np++
    }
    if (g[i] - g[i] === 0) {
      g0 += g[i]
      ng++
    }
  }
  const mp = (p0 + p1 + (p2 + p3)) / np,
    mg = (g0 + g1 + (g2 + g3)) / ng
  p0 = p1 = p2 = p3 = g0 = g1 = g2 = g3 = 0
  for (i = 0; i + 4 <= len; i += 4) {
    const a = p[i] - mp,
      b = p[i + 1] - mp,
      e = p[i + 2] - mp,
      d = p[i + 3] - mp
    if (a - a + (b - b) + (e - e) + (d - d) === 0) {
      p0 += a * a
      p1 += b * b
      p2 += e * e
      p3 += d * d
    } else {
      if (a - a === 0) p0 += a * a
      if (b - b === 0) p1 += b * b
      if (e - e === 0) p2 += e * e
      if (d - d === 0) p3 += d * d
    }
    const u = g[i] - mg,
      v = g[i + 1] - mg,
      w = g[i + 2] - mg,
      x = g[i + 3] - mg
    if (u - u + (v - v) + (w - w) + (x - x) === 0) {
      g0 += u * u
      g1 += v * v
      g2 += w * w
      g3 += x * x
    } else {
      if (u - u === 0) g0 += u * u
      if (v - v === 0) g1 += v * v
      if (w - w === 0) g2 += w * w
      if (x - x === 0) g3 += x * x
    }
    p[i] = p[i] + c * g[i]
    p[i + 1] = p[i + 1] + c * g[i + 1]
    p[i + 2] = p[i + 2] + c * g[i + 2]
    p[i + 3] = p[i + 3] + c * g[i + 3]
  }
  for (; i < len; i++) {
    const a = p[i] - mp,
      u = g[i] - mg
    if (a - a === 0) p0 += a * a
    if (u - u === 0) g0 += u * u
    p[i] = p[i] + c * g[i]
  }
  stds[at] = ng === 0 ? NaN : Math.sqrt((g0 + g1 + (g2 + g3)) / ng)
  stds[at + 1] = np === 0 ? NaN : Math.sqrt((p0 + p1 + (p2 + p3)) / np)
}
