#!/usr/bin/python3
"""Losses and their gradients from PyTorch, for dev.jcnn.train's LossesTest.

- "sparse": F.cross_entropy on (N, C) logits and (N,) labels with weight= and label_smoothing=.
- "pixel": F.cross_entropy on (N, C, H, W) logits and (N, H, W) class maps, same options.
- "dice": multi-class soft Dice, p = softmax(logits, 1), t = one-hot(targets) (N, C, H, W);
  per class c, dice_c = (2 sum(p_c t_c) + eps) / (sum(p_c) + sum(t_c) + eps), summed over
  the batch and positions; loss = 1 - mean over classes of dice_c.
- "binary_dice": p = sigmoid(logits), t in [0, 1]; 1 - (2 sum(p t) + eps) / (sum(p) + sum(t) + eps)
  over all elements.
Tensors are flattened row-major; "grad" is d(loss)/d(logits).

usage: make_golden_losses.py OUT_JSON
"""
import json, sys
import torch
import torch.nn.functional as F


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def ce_case(kind, shape, weight, smoothing, gen):
    n, c = shape[0], shape[1]
    logits = (torch.randn(*shape, generator=gen, dtype=torch.float64) * 2).requires_grad_()
    targets = torch.randint(0, c, (n,) + tuple(shape[2:]), generator=gen)
    w = None if weight is None else torch.tensor(weight, dtype=torch.float64)
    loss = F.cross_entropy(logits, targets, weight=w, label_smoothing=smoothing)
    loss.backward()
    return {"kind": kind, "shape": list(shape), "weights": weight, "smoothing": smoothing,
            "logits": flat(logits), "targets": [int(v) for v in targets.reshape(-1).tolist()],
            "loss": float(loss), "grad": flat(logits.grad)}


def dice_case(shape, eps, gen):
    c = shape[1]
    logits = (torch.randn(*shape, generator=gen, dtype=torch.float64) * 2).requires_grad_()
    targets = torch.randint(0, c, (shape[0],) + tuple(shape[2:]), generator=gen)
    p = torch.softmax(logits, 1)
    t = F.one_hot(targets, c).movedim(-1, 1).to(torch.float64)
    dims = [0] + list(range(2, len(shape)))
    dice = (2 * (p * t).sum(dims) + eps) / (p.sum(dims) + t.sum(dims) + eps)
    loss = 1 - dice.mean()
    loss.backward()
    return {"kind": "dice", "shape": list(shape), "eps": eps, "logits": flat(logits),
            "targets": [int(v) for v in targets.reshape(-1).tolist()], "loss": float(loss), "grad": flat(logits.grad)}


def binary_dice_case(shape, eps, gen):
    logits = (torch.randn(*shape, generator=gen, dtype=torch.float64) * 2).requires_grad_()
    targets = (torch.rand(*shape, generator=gen, dtype=torch.float64) > 0.5).to(torch.float64)
    p = torch.sigmoid(logits)
    loss = 1 - (2 * (p * targets).sum() + eps) / (p.sum() + targets.sum() + eps)
    loss.backward()
    return {"kind": "binary_dice", "shape": list(shape), "eps": eps, "logits": flat(logits),
            "targets": flat(targets), "loss": float(loss), "grad": flat(logits.grad)}


def main():
    gen = torch.Generator().manual_seed(12)
    cases = []
    for weight, smoothing in [(None, 0.0), (None, 0.1), ([0.2, 1.0, 3.0, 0.5, 1.5], 0.0),
                              ([0.2, 1.0, 3.0, 0.5, 1.5], 0.25), (None, 1.0)]:
        cases.append(ce_case("sparse", (6, 5), weight, smoothing, gen))
    for weight, smoothing in [(None, 0.0), (None, 0.2), ([1.0, 4.0, 0.5], 0.0), ([1.0, 4.0, 0.5], 0.1)]:
        cases.append(ce_case("pixel", (2, 3, 4, 5), weight, smoothing, gen))
    for shape, eps in [((2, 3, 4, 5), 1.0), ((3, 4, 3, 3), 1e-6)]:
        cases.append(dice_case(shape, eps, gen))
    for shape, eps in [((2, 1, 4, 5), 1.0), ((3, 2, 3, 3), 1e-6)]:
        cases.append(binary_dice_case(shape, eps, gen))
    with open(sys.argv[1], "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} cases to {sys.argv[1]}")


if __name__ == "__main__":
    main()
