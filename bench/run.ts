/**
 * `npm run bench`: kernel and training speed. `-- --json` prints one JSON object as the last line;
 * `-- --torch` also trains each config with PyTorch (bench/torch_mlp.py), alternating with this
 * project's run, so that both figures come from the same minute.
 * Run it on a quiet machine; only figures taken in the same minute compare.
 */
import { spawnSync } from 'node:child_process'
import { gemmPlain, gemmSimd } from '../lib/engine/kernels/gemm.ts'
import { benchMatmul } from './matmul.ts'
import { benchTraining } from './train.ts'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--json' && a !== '--torch')
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(' ')}\nusage: npm run bench [-- --json] [-- --torch]`)
  process.exit(2)
}
const json = args.includes('--json')
const withTorch = args.includes('--torch')

/** A Python that imports torch: the first on the PATH, else Debian's. */
const python = withTorch
  ? ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import torch']).status === 0)
  : undefined
if (withTorch && python === undefined) {
  console.error('bench: --torch needs a python3 that can import torch (Debian: apt-get install python3-torch)')
  process.exit(2)
}

/** PyTorch's steps per second on a config, from bench/torch_mlp.py. */
const torchSpeed = (config: string): number => {
  const steps = config.startsWith('deep') ? 400 : 2000
  const r = spawnSync(python as string, ['bench/torch_mlp.py', 'data/names.txt', String(steps), config], {
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`bench/torch_mlp.py ${config} failed: ${r.stderr.trim().split('\n').pop()}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() as string).steps_per_s
}
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
if (withTorch)
  log(
    `  ${''.padEnd(16)} ${'here'.padStart(8)} ${'PyTorch'.padStart(8)} ${'ratio'.padStart(6)}  (float64 here, PyTorch's float32; best of two, alternating)`,
  )
const configs = ['kaiming', 'batchnorm', 'deep-batchnorm'] as const
const torchSpeeds: Record<string, number> = {}
const speeds = Object.fromEntries(
  configs.map((c) => {
    if (!withTorch) {
      const v = benchTraining(c)
      log(`  ${c.padEnd(16)} ${v.toFixed(0)} steps/s`)
      return [c, Number(v.toFixed(1))]
    }
    // alternate, twice each, so that a busy moment does not favour one side
    let here = 0,
      torch = 0
    for (let round = 0; round < 2; round++) {
      here = Math.max(here, benchTraining(c))
      torch = Math.max(torch, torchSpeed(c))
    }
    torchSpeeds[c] = torch
    log(
      `  ${c.padEnd(16)} ${here.toFixed(0).padStart(8)} ${torch.toFixed(0).padStart(8)} ${(here / torch).toFixed(2).padStart(6)}x`,
    )
    return [c, Number(here.toFixed(1))]
  }),
)

if (json) {
  console.log(
    JSON.stringify({
      node: process.version,
      steps_per_s: speeds.kaiming,
      steps_per_s_by_config: speeds,
      ...(withTorch ? { torch_steps_per_s_by_config: torchSpeeds } : {}),
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
