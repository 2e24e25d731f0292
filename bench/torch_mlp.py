"""PyTorch side of the speed comparison in the README: the `kaiming` or `batchnorm` MLP (3 characters
of context, 10-dim embeddings, 200 tanh units, batch 32, lr 0.1), or the lecture's deep net
(`deep-batchnorm`: five Linear-BatchNorm-tanh layers of 100 and a last Linear-BatchNorm, the
lecture's own Linear/BatchNorm1d/Tanh classes), trained in eager mode on one CPU thread, written as
the lecture writes it.

    python3 bench/torch_mlp.py [NAMES_FILE] [STEPS] [kaiming|batchnorm|deep-batchnorm]

Prints one JSON line with SGD steps per second (batch sampling included, after a warm-up), to set
beside `npm run bench` run in the same minute. Needs PyTorch (Debian: apt-get install python3-torch).
"""
import json
import sys
import time

import torch

path = sys.argv[1] if len(sys.argv) > 1 else 'data/names.txt'
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
variant = sys.argv[3] if len(sys.argv) > 3 else 'kaiming'
if variant not in ('kaiming', 'batchnorm', 'deep-batchnorm'):
    sys.exit(f'torch_mlp.py: unknown variant {variant!r}; use kaiming, batchnorm or deep-batchnorm')
torch.set_num_threads(1)

words = [w.strip() for w in open(path, encoding='utf8') if w.strip()]
chars = sorted(set(''.join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
vocab, block, emb, hidden, batch = len(stoi), 3, 10, 200, 32

xs, ys = [], []
for w in words:
    context = [0] * block
    for ch in w + '.':
        xs.append(context)
        ys.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
X, Y = torch.tensor(xs), torch.tensor(ys)

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab, emb), generator=g)
W1 = torch.randn((emb * block, hidden), generator=g) * (5 / 3) / (emb * block) ** 0.5
b1 = torch.randn(hidden, generator=g) * 0.01
W2 = torch.randn((hidden, vocab), generator=g) * 0.01
b2 = torch.zeros(vocab)
bngain, bnbias = torch.ones((1, hidden)), torch.zeros((1, hidden))
bnmean_running, bnstd_running = torch.zeros((1, hidden)), torch.ones((1, hidden))
# batchnorm: no b1 (the batch mean removes it), gain and bias after the normalisation
params = [C, W1, b1, W2, b2] if variant == 'kaiming' else [C, W1, W2, b2, bngain, bnbias]


# the lecture's deep net, with its own layer classes
class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x):
        if self.training:
            xmean, xvar = x.mean(0, keepdim=True), x.var(0, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


if variant == 'deep-batchnorm':
    n_hidden = 100
    widths = [emb * block] + [n_hidden] * 5
    layers = []
    for fan_in, fan_out in zip(widths, widths[1:]):
        layers += [Linear(fan_in, fan_out, bias=False), BatchNorm1d(fan_out), Tanh()]
    layers += [Linear(n_hidden, vocab, bias=False), BatchNorm1d(vocab)]
    with torch.no_grad():
        layers[-1].gamma *= 0.1
        for layer in layers[:-1]:
            if isinstance(layer, Linear):
                layer.weight *= 5 / 3
    params = [C] + [p for layer in layers for p in layer.parameters()]

for p in params:
    p.requires_grad = True


def step():
    if variant == 'deep-batchnorm':
        ix = torch.randint(0, X.shape[0], (batch,), generator=g)
        x = C[X[ix]].view(batch, -1)
        for layer in layers:
            x = layer(x)
        loss = torch.nn.functional.cross_entropy(x, Y[ix])
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
        return loss

    ix = torch.randint(0, X.shape[0], (batch,), generator=g)
    hpre = C[X[ix]].view(batch, -1) @ W1
    if variant == 'kaiming':
        hpre = hpre + b1
    else:
        global bnmean_running, bnstd_running
        bnmeani, bnstdi = hpre.mean(0, keepdim=True), hpre.std(0, keepdim=True)
        hpre = bngain * (hpre - bnmeani) / bnstdi + bnbias
        with torch.no_grad():
            bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
            bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    h = torch.tanh(hpre)
    loss = torch.nn.functional.cross_entropy(h @ W2 + b2, Y[ix])
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.1 * p.grad
    return loss


for _ in range(min(500, steps)):
    step()
start = time.perf_counter()
for _ in range(steps):
    loss = step()
seconds = time.perf_counter() - start
print(json.dumps({'dtype': str(torch.get_default_dtype()).replace('torch.', ''), 'torch': torch.__version__, 'variant': variant, 'threads': torch.get_num_threads(), 'steps': steps,
                  'steps_per_s': round(steps / seconds, 1), 'loss': round(loss.item(), 4)}))
