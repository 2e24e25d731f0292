/**
 * How the project prints numbers, in the diagnosis and on every page: fixed decimals that never
 * show "-0.00", signs as the lecture's %+.2f, percentages. One place, so a figure reads the same everywhere.
 */

/** x with `digits` decimals, never "-0.00". */
export const fixed = (x: number, digits = 2): string => {
  if (!Number.isFinite(x)) return String(x)
  const s = x.toFixed(digits)
  return Number(s) === 0 ? s.replace('-', '') : s
}

/** A share as a percentage: 0.1234 -> "12.3%". */
export const percent = (x: number, digits = 1): string => `${fixed(100 * x, digits)}%`

/** With its sign, as the lecture's %+.2f: "+0.03", "-0.02", "+0.00". */
export const signed = (x: number, digits: number): string => {
  const s = fixed(x, digits)
  return s.startsWith('-') ? s : `+${s}`
}

/** With its sign in scientific notation: "+4.0e-5". */
export const signedExp = (x: number, digits = 1): string =>
  Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toExponential(digits)}` : String(x)

/** Whole numbers with thousands separators: 47168 -> "47,168". */
export const thousands = (n: number): string => n.toLocaleString('en-US')

/** The first letter in upper case, for a headline that starts a sentence. */
export const sentence = (s: string): string => (s.length === 0 ? s : s[0].toUpperCase() + s.slice(1))
