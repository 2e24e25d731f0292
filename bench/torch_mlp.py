"""PyTorch side of the speed comparison in the README: the `kaiming` or `batchnorm` MLP (3 characters
of context, 10-dim embeddings, 200 tanh units, batch 32, lr 0.1) trained in eager mode on one CPU
thread, written as the lecture writes it.

    python3 bench/torch_mlp.py [NAMES_FILE] [STEPS] [kaiming|batchnorm]

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
if variant not in ('kaiming', 'batchnorm'):
    sys.exit(f'torch_mlp.py: unknown variant {variant!r}; use kaiming or batchnorm')
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
for p in params:
    p.requires_grad = True


def step():
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
print(json.dumps({'torch': torch.__version__, 'variant': variant, 'threads': torch.get_num_threads(), 'steps': steps,
                  'steps_per_s': round(steps / seconds, 1), 'loss': round(loss.item(), 4)}))
