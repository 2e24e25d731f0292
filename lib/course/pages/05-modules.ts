import { crossEntropyWithGrad } from '../../model/loss.ts'
import { gather } from '../../engine/ops.ts'
import { reshape, type Tensor } from '../../engine/tensor.ts'
import { moments, saturationFraction, symmetricRange } from '../../instruments/diagnostics.ts'
import { densityLinesSpec } from '../../report/specs.ts'
import { escapeHtml, table } from '../../report/html.ts'
import { signed, thousands } from '../../engine/format.ts'
import { type KataPage, f, pct, html, chart, grid, section, code, std, bins } from './shared.ts'

type K05 = import('../../../katas/05-modules/types.ts').Kata

// ---------------------------------------------------------------------------------------------
// 05: modules

export const page05: KataPage<K05> = {
  needs: ['linear', 'tanhLayer', 'batchNorm1d', 'sequential', 'parameterCount', 'lectureMlp', 'deepMlp'],
  build: (m, ctx) => {
    const V = ctx.vocab.size
    const net = m.deepMlp(V, ctx.seed),
      mlp = m.lectureMlp(V, ctx.seed)
    const batch = ctx.batch(32, ctx.seed)
    const x = reshape(gather(net.embedding, batch.X), [-1, net.blockSize * net.embedding.shape[1]])
    const pass = net.body.forward(x, 'train')
    const ce = crossEntropyWithGrad(pass.out, batch.Y)
    const grads = pass.backward(ce.dlogits)
    const layers = net.body.layers
    const tanhs = layers.flatMap((l, i) => (l.kind === 'tanh' ? [i] : []))
    const actRange = { min: -1, max: 1 }
    const gradRange = symmetricRange(tanhs.map((i) => grads.outGrads[i].data))
    const sat = (t: Tensor) => saturationFraction(t.data)
    const rows = layers.map((l, i) => {
      const o = moments(pass.outs[i].data),
        g = moments(grads.outGrads[i].data)
      return [
        `${i}`,
        escapeHtml(l.kind),
        `[${pass.outs[i].shape.join(', ')}]`,
        signed(o.mean, 3),
        f(o.std, 3),
        l.kind === 'tanh' ? pct(sat(pass.outs[i])) : '',
        g.std.toExponential(2),
      ]
    })
    const stdsTanh = tanhs.map((i) => std(pass.outs[i])),
      gradStds = tanhs.map((i) => std(grads.outGrads[i]))
    return {
      title: 'Kata 05: modules',
      headline: `${ctx.author}: the deep net's tanh layers have std ${f(Math.min(...stdsTanh))}–${f(Math.max(...stdsTanh))} at initialisation, its first loss is ${f(ce.loss)}; ${thousands(m.parameterCount(mlp))} and ${thousands(m.parameterCount(net))} parameters`,
      intro: `The lecture's networks built from ${ctx.whose} Linear, BatchNorm1d, Tanh and Sequential: every layer's out and, after backward, every out.grad, read off the Sequential's pass.`,
      blocks: [
        section('Parameter counts', "Look at the totals: the embedding table and every layer's parameters."),
        html(
          table(
            ['network', 'layers', code('parameterCount'), 'the lecture'],
            [
              [
                code('lectureMlp'),
                escapeHtml(mlp.body.layers.map((l) => l.kind).join(' → ')),
                thousands(m.parameterCount(mlp)),
                '12,097',
              ],
              [
                code('deepMlp'),
                escapeHtml(`${net.body.layers.length} layers: (linear → batchnorm → tanh) × 5 → linear → batchnorm`),
                thousands(m.parameterCount(net)),
                '47,024',
              ],
            ],
            [2, 3],
          ),
        ),
        section(
          "Every layer's out and out.grad",
          `Look at the tanh rows: with BatchNorm after every Linear the activations keep the same scale layer after layer (std ${f(Math.min(...stdsTanh))}–${f(Math.max(...stdsTanh))}), and the gradients stay within a factor of ${f(Math.max(...gradStds) / Math.min(...gradStds), 1)} of each other: no layer's signal explodes or vanishes.`,
        ),
        html(
          table(
            ['layer', 'kind', 'out shape', 'out mean', 'out std', 'saturated', 'out.grad std'],
            rows,
            [0, 3, 4, 5, 6],
          ),
        ),
        grid(
          chart(
            densityLinesSpec({
              title: 'activation distribution (tanh outs)',
              xTitle: 'tanh output',
              series: tanhs.map((i) => ({
                label: `layer ${i}: std ${f(std(pass.outs[i]))}, saturated ${pct(sat(pass.outs[i]))}`,
                histogram: bins(pass.outs[i].data, actRange),
              })),
            }),
            `From pass.outs of ${ctx.whose} Sequential.`,
          ),
          chart(
            densityLinesSpec({
              title: 'gradient distribution (tanh out.grads)',
              xTitle: 'gradient of the tanh output',
              series: tanhs.map((i) => ({
                label: `layer ${i}: std ${std(grads.outGrads[i]).toExponential(2)}`,
                histogram: bins(grads.outGrads[i].data, gradRange),
              })),
            }),
            `From the outGrads of ${ctx.whose} Sequential's backward.`,
          ),
        ),
      ],
    }
  },
}
