/**
 * The lab's settings in the page address (`lab.html#network=deep&depth=5&...`): what the share
 * link carries, so a learner can send a configuration. Unknown or unusable values fall back to
 * the lecture's deep net, and say which.
 */
import { checkSettings, lectureDeep, type LabSettings } from '../../model/configure.ts'

const KEYS = {
  network: 'network',
  depth: 'depth',
  width: 'width',
  activation: 'act',
  init: 'init',
  gain: 'gain',
  batchNorm: 'bn',
  learningRate: 'lr',
  batchSize: 'batch',
  seed: 'seed',
} as const satisfies Record<keyof LabSettings, string>

/** The settings as a URL fragment (without the '#'); numbers keep every digit, so decoding gives them back exactly. */
export const encodeSettings = (s: LabSettings): string =>
  (Object.keys(KEYS) as (keyof LabSettings)[])
    .map((k) => {
      const v = s[k]
      return `${KEYS[k]}=${encodeURIComponent(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}`
    })
    .join('&')

/**
 * Settings from a URL fragment (with or without the '#'): missing keys take the lecture deep
 * net's values; a value that cannot be used is dropped and named in `problems`.
 */
export const decodeSettings = (
  hash: string,
  fallback: LabSettings = lectureDeep,
): { readonly settings: LabSettings; readonly problems: readonly string[] } => {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const problems: string[] = []
  let settings: LabSettings = fallback
  for (const k of Object.keys(KEYS) as (keyof LabSettings)[]) {
    const raw = params.get(KEYS[k])
    if (raw === null) continue
    const base = fallback[k]
    const value = typeof base === 'boolean' ? raw === '1' : typeof base === 'number' ? Number(raw) : raw
    const next = { ...settings, [k]: value } as LabSettings
    const issues = checkSettings(next).filter((p) => !checkSettings(settings).includes(p))
    if ((typeof base === 'boolean' && raw !== '0' && raw !== '1') || issues.length > 0)
      problems.push(`${KEYS[k]}=${raw} ignored${issues.length > 0 ? `: ${issues.join('; ')}` : ''}`)
    else settings = next
  }
  return { settings, problems }
}
