/**
 * `npm run bench`: kernel and training speed. `-- --json` prints one JSON object as the last line;
 * `-- --torch` also trains each config with PyTorch (bench/torch_mlp.py), alternating with this
 * project's run, so that both figures come from the same minute.
 * Run it on a quiet machine; only figures taken in the same minute compare.
 */
import { spawnSync } from 'node:child_process'
import { gemmPlain, gemmSimd } from '../lib/engine/kernels/gemm.ts'
import { benchMatmul } from './matmul.ts'
import { formatProfile, gemmOnly, profileConfig } from './profile.ts'
import { benchTraining } from './train.ts'
import * as E from 'fp-ts/Either'
import { readNamesFile } from '../lib/model/data.ts'
import { findExperiment, prepareCorpus } from '../lib/model/experiments.ts'
import { initModel } from '../lib/model/nn.ts'
import { seedRng } from '../lib/engine/random.ts'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--json' && a !== '--torch' && a !== '--profile')
if (unknown.length > 0) {
  console.error(
    `bench: unknown option ${unknown.join(' ')}\nusage: npm run bench [-- --json] [-- --torch] [-- --profile]`,
  )
  process.exit(2)
}
if (args.includes('--profile')) {
  // where a step's CPU time goes, the model's own step beside the step plan's (bench/profile.ts)
  for (const c of ['kaiming', 'batchnorm', 'deep-batchnorm'] as const)
    console.log(formatProfile(c, profileConfig(c, c.startsWith('deep') ? 400 : 1500)))
  process.exit(0)
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

log("\ntraining, batch 32, one thread (train()'s SGD steps per second, batch sampling and update:data included):")
const configs = ['kaiming', 'batchnorm', 'deep-batchnorm'] as const
/** Steps per second if a step were its matrix products alone (bench/profile.ts's gemmOnly). */
const gemmLimit = (() => {
  const words = readNamesFile('data/names.txt')
  if (E.isLeft(words)) throw new Error(words.left.message)
  const vocab = prepareCorpus(words.right, 42).vocab.size
  return Object.fromEntries(
    configs.map((c) => [c, 1e6 / gemmOnly(initModel(findExperiment(c)!.layers(vocab))(seedRng(1))[0], 32)]),
  ) as Record<(typeof configs)[number], number>
})()
log(
  withTorch
    ? `  ${''.padEnd(16)} ${'here'.padStart(8)} ${'PyTorch'.padStart(8)} ${'ratio'.padStart(6)} ${'gemm-only limit'.padStart(16)}  (float64 here, PyTorch's float32; best of two, alternating)`
    : `  ${''.padEnd(16)} ${'here'.padStart(8)} ${'gemm-only limit'.padStart(16)}`,
)
const limitCell = (c: (typeof configs)[number], here: number) =>
  `${gemmLimit[c].toFixed(0).padStart(7)} (${((100 * here) / gemmLimit[c]).toFixed(0).padStart(2)}%)`
const torchSpeeds: Record<string, number> = {}
const speeds = Object.fromEntries(
  configs.map((c) => {
    if (!withTorch) {
      const v = benchTraining(c)
      log(`  ${c.padEnd(16)} ${v.toFixed(0).padStart(8)} ${limitCell(c, v).padStart(16)}`)
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
      `  ${c.padEnd(16)} ${here.toFixed(0).padStart(8)} ${torch.toFixed(0).padStart(8)} ${(here / torch).toFixed(2).padStart(6)}x ${limitCell(c, here).padStart(16)}`,
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
