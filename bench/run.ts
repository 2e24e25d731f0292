/**
 * `npm run bench`: kernel and training speed. `-- --json` prints one JSON object as the last line.
 * Run it on a quiet machine; only figures taken in the same minute compare.
 */
import { benchMatmul } from './matmul.ts'
import { benchTraining } from './train.ts'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--json')
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(' ')}\nusage: npm run bench [-- --json]`)
  process.exit(2)
}
const json = args.includes('--json')
const log = (line: string) => { if (!json) console.log(line) }

const mm = benchMatmul()
log("matmul, float64, single thread (the MLP's shapes):")
for (const c of mm.cases) log(`  ${c.name.padEnd(18)} ${`${c.m}x${c.k} @ ${c.k}x${c.n}`.padEnd(18)} ${c.gflops.toFixed(2)} GFLOP/s`)
log(`  overall            ${mm.overallGflops.toFixed(2)} GFLOP/s`)

log('\ntraining, batch 32, one thread (SGD steps per second, batch sampling included):')
const configs = ['kaiming', 'batchnorm', 'deep-batchnorm'] as const
const speeds = Object.fromEntries(configs.map((c) => {
  const v = benchTraining(c)
  log(`  ${c.padEnd(16)} ${v.toFixed(0)} steps/s`)
  return [c, Number(v.toFixed(1))]
}))

if (json) {
  console.log(JSON.stringify({
    node: process.version,
    steps_per_s: speeds.kaiming,
    steps_per_s_by_config: speeds,
    matmul_gflops: Number(mm.overallGflops.toFixed(3)),
    matmul: mm.cases.map((c) => ({ ...c, gflops: Number(c.gflops.toFixed(3)) })),
  }))
}
