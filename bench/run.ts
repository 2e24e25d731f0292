/**
 * `npm run bench`: kernel and training speed. `-- --json` prints one JSON object as the last line.
 * Run it on a quiet machine; only figures taken in the same minute compare.
 */
import { gemmPlain, gemmSimd } from '../lib/engine/kernels/gemm.ts'
import { benchMatmul } from './matmul.ts'
import { benchTraining } from './train.ts'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--json')
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(' ')}\nusage: npm run bench [-- --json]`)
  process.exit(2)
}
const json = args.includes('--json')
const log = (line: string) => {
  if (!json) console.log(line)
}

const plain = benchMatmul(gemmPlain)
const simd = gemmSimd === undefined ? undefined : benchMatmul(gemmSimd)
const mm = simd ?? plain
log("matmul, float64, single thread (the MLP's shapes), GFLOP/s:")
log(`  ${''.padEnd(18)} ${'shape'.padEnd(18)} ${'plain'.padStart(6)} ${'simd'.padStart(6)}`)
plain.cases.forEach((c, i) =>
  log(
    `  ${c.name.padEnd(18)} ${`${c.m}x${c.k} @ ${c.k}x${c.n}`.padEnd(18)} ${c.gflops.toFixed(2).padStart(6)} ${(simd?.cases[i].gflops.toFixed(2) ?? 'n/a').padStart(6)}`,
  ),
)
log(
  `  ${'overall'.padEnd(18)} ${''.padEnd(18)} ${plain.overallGflops.toFixed(2).padStart(6)} ${(simd?.overallGflops.toFixed(2) ?? 'n/a').padStart(6)}`,
)
log(
  simd === undefined
    ? '  (no WebAssembly SIMD here: lib/ops uses the plain kernel)'
    : '  (lib/ops uses the simd kernel; the plain one is its readable reference)',
)

log('\ntraining, batch 32, one thread (SGD steps per second, batch sampling included):')
const configs = ['kaiming', 'batchnorm', 'deep-batchnorm'] as const
const speeds = Object.fromEntries(
  configs.map((c) => {
    const v = benchTraining(c)
    log(`  ${c.padEnd(16)} ${v.toFixed(0)} steps/s`)
    return [c, Number(v.toFixed(1))]
  }),
)

if (json) {
  console.log(
    JSON.stringify({
      node: process.version,
      steps_per_s: speeds.kaiming,
      steps_per_s_by_config: speeds,
      kernel: simd === undefined ? 'plain' : 'simd',
      matmul_gflops: Number(mm.overallGflops.toFixed(3)),
      matmul_plain_gflops: Number(plain.overallGflops.toFixed(3)),
      matmul: mm.cases.map((c, i) => ({
        ...c,
        gflops: Number(c.gflops.toFixed(3)),
        plain_gflops: Number(plain.cases[i].gflops.toFixed(3)),
      })),
    }),
  )
}
