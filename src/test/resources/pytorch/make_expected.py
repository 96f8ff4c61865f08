#!/usr/bin/env python3
"""Expected values for dev.xent.PyTorchParityTest, from the formulas in PyTorch's documentation.

PyTorch is not installed on the build machine (Debian's python3-torch pulls ~180 packages), so this script
re-implements, in float64 NumPy, the losses exactly as documented for
  torch.nn.CrossEntropyLoss(weight, ignore_index, reduction, label_smoothing)   (class indices and probabilities)
  torch.nn.BCEWithLogitsLoss(weight, reduction, pos_weight)
  torch.nn.BCELoss(weight, reduction)     ("clamps its log function outputs to be greater than or equal to -100")
and the gradients by central differences of those float64 functions (independent of xent's analytic formulas).

Documented semantics used:
  * class indices: l_n = -w[y_n] * log_softmax(x_n)[y_n] * 1{y_n != ignore_index};
    'mean' = sum_n l_n / sum_n w[y_n] * 1{y_n != ignore_index}  (all ignored -> 0/0 = nan); 'sum' = sum_n l_n.
  * label_smoothing eps with class indices: the target is (1-eps)*onehot + eps/C, applied to non-ignored rows, weighted
    by the class weights as PyTorch does: l_n = (1-eps)*(-w[y] logp_y) + eps/C * sum_c (-w_c logp_c);
    'mean' divides by the same sum_n w[y_n] over non-ignored rows.
  * probability targets: l_n = -sum_c w_c * t'_c * logp_c with t' = t*(1-eps) + eps/C; 'mean' divides by N.
  * BCEWithLogits: l = -w_c * [p_c * z * log sigmoid(x) + (1-z) * log(1 - sigmoid(x))]; 'mean' over all elements.
  * BCELoss: l = -w_c * [z * max(log p, -100) + (1-z) * max(log(1-p), -100)]; 'mean' over all elements.
Run: python3 make_expected.py > expected.json   (NumPy only; deterministic seed)
"""
import json
import numpy as np

rng = np.random.default_rng(20261130)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return (x - m) - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def ce_indices(x, y, w, ignore, ls, reduction):
    n, c = x.shape
    w = np.ones(c) if w is None else w
    lp = log_softmax(x)
    keep = y != ignore
    ys = np.where(keep, y, 0)
    nll = -w[ys] * lp[np.arange(n), ys]
    smooth = -(lp * w[None, :]).sum(axis=1)
    per = np.where(keep, (1 - ls) * nll + ls / c * smooth, 0.0)
    if reduction == 'none':
        return per
    if reduction == 'sum':
        return per.sum()
    den = np.where(keep, w[ys], 0.0).sum()
    with np.errstate(invalid='ignore', divide='ignore'):
        return per.sum() / den


def ce_probs(x, t, w, ls, reduction):
    n, c = x.shape
    w = np.ones(c) if w is None else w
    tt = t * (1 - ls) + ls / c
    per = -(w[None, :] * tt * log_softmax(x)).sum(axis=1)
    return per if reduction == 'none' else per.sum() if reduction == 'sum' else per.sum() / n


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def bce_logits(x, z, w, pw, reduction):
    c = x.shape[1]
    w = np.ones(c) if w is None else w
    pw = np.ones(c) if pw is None else np.broadcast_to(pw, (c,))
    per = -w[None, :] * (pw[None, :] * z * log_sigmoid(x) + (1 - z) * log_sigmoid(-x))
    return per if reduction == 'none' else per.sum() if reduction == 'sum' else per.mean()


def bce_probs(p, z, w, reduction):
    c = p.shape[1]
    w = np.ones(c) if w is None else w
    with np.errstate(divide='ignore'):
        l1 = np.maximum(np.log(p), -100.0)
        l0 = np.maximum(np.log(1 - p), -100.0)
    per = -w[None, :] * (z * l1 + (1 - z) * l0)
    return per if reduction == 'none' else per.sum() if reduction == 'sum' else per.mean()


def fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    it = np.nditer(x, flags=['multi_index'])
    for _ in it:
        i = it.multi_index
        xp = x.copy(); xp[i] += h
        xm = x.copy(); xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def num(v):
    v = float(v)
    return 'NaN' if np.isnan(v) else v


cases = []


def add(name, form, x, labels, opts, reduction, value, grad=None, losses=None):
    cases.append({
        'name': name, 'form': form, 'shape': list(x.shape), 'x': [float(v) for v in x.ravel()],
        'labels': [int(v) for v in labels.ravel()] if labels.dtype.kind == 'i' else [float(v) for v in labels.ravel()],
        'options': opts, 'reduction': reduction, 'expected': num(value),
        'grad': None if grad is None else [float(v) for v in grad.ravel()],
        'losses': None if losses is None else [num(v) for v in losses.ravel()],
    })


N, C = 7, 5
x = f32(rng.normal(0, 2, (N, C)))
w = f32(rng.uniform(0.2, 2.0, C))
y = rng.integers(0, C, N)
y_ign = y.copy(); y_ign[[1, 4]] = -100
y_all = np.full(N, -100)

for red in ('mean', 'sum'):
    f = lambda xx: ce_indices(xx, y, w, -100, 0.0, red)
    add(f'ce_weight_{red}', 'sparse_softmax', x, y, {'weight': w.tolist()}, red, f(x), fd_grad(f, x))
    f = lambda xx: ce_indices(xx, y_ign, w, -100, 0.0, red)
    add(f'ce_weight_ignore_{red}', 'sparse_softmax', x, y_ign, {'weight': w.tolist(), 'ignore_index': -100}, red, f(x), fd_grad(f, x))
    f = lambda xx: ce_indices(xx, y_ign, w, -100, 0.1, red)
    add(f'ce_weight_ignore_ls_{red}', 'sparse_softmax', x, y_ign,
        {'weight': w.tolist(), 'ignore_index': -100, 'label_smoothing': 0.1}, red, f(x), fd_grad(f, x))
    f = lambda xx: ce_indices(xx, y_ign, None, -100, 0.25, red)
    add(f'ce_ignore_ls_{red}', 'sparse_softmax', x, y_ign, {'ignore_index': -100, 'label_smoothing': 0.25}, red, f(x), fd_grad(f, x))
    # all rows ignored: mean 0/0 = nan, sum 0; every gradient 0
    add(f'ce_all_ignored_{red}', 'sparse_softmax', x, y_all, {'ignore_index': -100}, red,
        ce_indices(x, y_all, None, -100, 0.0, red), np.zeros_like(x))
add('ce_weight_ignore_ls_none', 'sparse_softmax', x, y_ign, {'weight': w.tolist(), 'ignore_index': -100, 'label_smoothing': 0.1},
    'none', float('nan'), None, ce_indices(x, y_ign, w, -100, 0.1, 'none'))

t = f32(rng.dirichlet(np.ones(C), N))
for red in ('mean', 'sum'):
    f = lambda xx: ce_probs(xx, t, w, 0.0, red)
    add(f'ce_probs_weight_{red}', 'softmax', x, t, {'weight': w.tolist()}, red, f(x), fd_grad(f, x))
    f = lambda xx: ce_probs(xx, t, w, 0.2, red)
    add(f'ce_probs_weight_ls_{red}', 'softmax', x, t, {'weight': w.tolist(), 'label_smoothing': 0.2}, red, f(x), fd_grad(f, x))

z = f32(rng.integers(0, 2, (N, C)))
z[0, :] = f32(rng.uniform(0, 1, C))            # one row of soft labels
pw = f32(rng.uniform(0.5, 4.0, C))
for red in ('mean', 'sum'):
    f = lambda xx: bce_logits(xx, z, w, pw, red)
    add(f'bce_logits_weight_posweight_{red}', 'sigmoid', x, z, {'weight': w.tolist(), 'pos_weight': pw.tolist()}, red, f(x), fd_grad(f, x))
    f = lambda xx: bce_logits(xx, z, None, 3.0, red)
    add(f'bce_logits_posweight_scalar_{red}', 'sigmoid', x, z, {'pos_weight': 3.0}, red, f(x), fd_grad(f, x))
add('bce_logits_posweight_none', 'sigmoid', x, z, {'pos_weight': pw.tolist()}, 'none', float('nan'), None,
    bce_logits(x, z, None, pw, 'none'))

p = f32(rng.uniform(0.02, 0.98, (N, C)))
for red in ('mean', 'sum'):
    f = lambda pp: bce_probs(pp, z, w, red)
    add(f'bce_probs_weight_{red}', 'binary', p, z, {'weight': w.tolist()}, red, f(p), fd_grad(f, p))
# probabilities exactly 0 and 1: each log clamped at -100 (p = 0, z = 1 gives 100)
pe = p.copy(); pe[0, 0] = 0.0; pe[0, 1] = 1.0; pe[1, 0] = 1.0; pe[1, 1] = 0.0
ze = z.copy(); ze[0, 0] = 1.0; ze[0, 1] = 0.0; ze[1, 0] = 0.0; ze[1, 1] = 1.0
add('bce_probs_edges_none', 'binary', pe, ze, {}, 'none', float('nan'), None, bce_probs(pe, ze, None, 'none'))
add('bce_probs_edges_mean', 'binary', pe, ze, {}, 'mean', bce_probs(pe, ze, None, 'mean'))

print(json.dumps({'generator': 'make_expected.py (NumPy ' + np.__version__ + ', formulas from the PyTorch docs)',
                  'cases': cases}, indent=1))
