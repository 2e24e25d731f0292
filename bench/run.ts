/**
 * `npm run bench`: kernel and training speed. `-- --json` prints one JSON object as the last line.
 * Run it on a quiet machine; only figures taken in the same minute compare.
 */
import { benchMatmul } from './matmul.ts'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--json')
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(' ')}\nusage: npm run bench [-- --json]`)
  process.exit(2)
}
const json = args.includes('--json')

const mm = benchMatmul()
if (!json) {
  console.log('matmul, float64, single thread (the MLP\'s shapes):')
  for (const c of mm.cases) console.log(`  ${c.name.padEnd(18)} ${`${c.m}x${c.k} @ ${c.k}x${c.n}`.padEnd(18)} ${c.gflops.toFixed(2)} GFLOP/s`)
  console.log(`  overall            ${mm.overallGflops.toFixed(2)} GFLOP/s`)
}
const result = {
  node: process.version,
  matmul_gflops: Number(mm.overallGflops.toFixed(3)),
  matmul: mm.cases.map((c) => ({ ...c, gflops: Number(c.gflops.toFixed(3)) })),
}
if (json) console.log(JSON.stringify(result))
