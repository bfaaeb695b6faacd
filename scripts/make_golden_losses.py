#!/usr/bin/python3
"""Golden cases for the losses of LossOps, computed by PyTorch in float64.

Same JSON format as make_golden.py (see its docstring), whose rnd/t/case this script imports,
one file per case, run by cpu-reference's golden runner on every backend (the op table's
"cross_entropy", "dice" and "binary_dice" ops):
  cross_entropy  F.cross_entropy over axis 1 of (N, C) or (N, C, H, W) logits, mean reduction;
                 labels (N·H·W, row-major) hold class indices (or ignore_index);
                 params classes, smoothing (label_smoothing, default 0), weighted (true: the
                 input weights is F.cross_entropy's weight=), ignore_index (when given)
                                                   in logits labels [weights]   out loss dlogits
  dice           multi-class soft Dice: p = softmax(logits, 1), t = one-hot(labels);
                 per class c, dice_c = (2 sum(p_c t_c) + eps) / (sum(p_c) + sum(t_c) + eps),
                 summed over the batch and positions; loss = 1 - mean over classes of dice_c;
                 params eps                        in logits labels             out loss dlogits
  binary_dice    p = sigmoid(logits), t in [0, 1] of the logits' shape;
                 1 - (2 sum(p t) + eps) / (sum(p) + sum(t) + eps) over all elements;
                 params eps                        in logits targets            out loss dlogits
"dlogits" is d(loss)/d(logits). Inputs are float32-exact.

Run it with Debian's /usr/bin/python3 after `apt-get install -y python3-torch`.
usage: make_golden_losses.py OUT_DIR [--seed N] [--lib DIR_WITH_make_golden.py]
"""
import argparse, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
RTOL, ATOL = 1e-5, 1e-6   # float32 results of double sums: tighter than make_golden.py's default


def load_lib(path):
    candidates = [path] if path else [os.path.join(HERE, "..", "..", "shared", "golden"),
                                      os.path.join(HERE, "..", "shared", "golden"), "/work/shared/golden"]
    for c in candidates:
        if c and os.path.exists(os.path.join(c, "make_golden.py")):
            sys.path.insert(0, os.path.abspath(c))
            import make_golden
            return make_golden
    sys.exit("make_golden.py not found in " + ", ".join(map(str, candidates)) + "; pass --lib DIR")


def dims(shape):
    return f"n{shape[0]}_c{shape[1]}" + ("_" + "x".join(map(str, shape[2:])) if len(shape) > 2 else "")


def cross_entropy(L, g, shape, weight, smoothing, ignore_index=None):
    n, c = shape[0], shape[1]
    logits = L.rnd(g, *shape, scale=2.0).requires_grad_()
    labels = L.torch.randint(0, c, (n,) + tuple(shape[2:]), generator=g)
    if ignore_index is not None:
        # about one label in four becomes the ignored one
        labels = L.torch.where(L.torch.rand(labels.shape, generator=g) < 0.25, ignore_index, labels)
    w = None if weight is None else L.torch.tensor(weight).float().double()
    kwargs = {} if ignore_index is None else {"ignore_index": ignore_index}
    loss = L.F.cross_entropy(logits, labels, weight=w, label_smoothing=smoothing, **kwargs)
    loss.backward()
    name = f"cross_entropy_{dims(shape)}" + (f"_smooth{smoothing}" if smoothing else "") + \
        ("_weighted" if weight is not None else "") + (f"_ignore{ignore_index}" if ignore_index is not None else "")
    params = {"classes": c}
    if smoothing:
        params["smoothing"] = smoothing
    if weight is not None:
        params["weighted"] = True
    if ignore_index is not None:
        params["ignore_index"] = ignore_index
    inputs = {"logits": logits.detach(), "labels": labels.reshape(-1).double()}
    if w is not None:
        inputs["weights"] = w
    return L.case(name, "cross_entropy", params, inputs, {"loss": loss.detach(), "dlogits": logits.grad},
                  rtol=RTOL, atol=ATOL)


def dice(L, g, shape, eps):
    c = shape[1]
    logits = L.rnd(g, *shape, scale=2.0).requires_grad_()
    labels = L.torch.randint(0, c, (shape[0],) + tuple(shape[2:]), generator=g)
    p = L.torch.softmax(logits, 1)
    t = L.F.one_hot(labels, c).movedim(-1, 1).double()
    axes = [0] + list(range(2, len(shape)))
    per_class = (2 * (p * t).sum(axes) + eps) / (p.sum(axes) + t.sum(axes) + eps)
    loss = 1 - per_class.mean()
    loss.backward()
    return L.case(f"dice_{dims(shape)}_eps{eps}", "dice", {"eps": eps},
                  {"logits": logits.detach(), "labels": labels.reshape(-1).double()},
                  {"loss": loss.detach(), "dlogits": logits.grad}, rtol=RTOL, atol=ATOL)


def binary_dice(L, g, shape, eps):
    logits = L.rnd(g, *shape, scale=2.0).requires_grad_()
    targets = (L.torch.rand(*shape, generator=g) > 0.5).double()
    p = L.torch.sigmoid(logits)
    loss = 1 - (2 * (p * targets).sum() + eps) / (p.sum() + targets.sum() + eps)
    loss.backward()
    return L.case(f"binary_dice_{dims(shape)}_eps{eps}", "binary_dice", {"eps": eps},
                  {"logits": logits.detach(), "targets": targets},
                  {"loss": loss.detach(), "dlogits": logits.grad}, rtol=RTOL, atol=ATOL)


def cases(L, g):
    out = []
    for weight, smoothing in [(None, 0.0), (None, 0.1), ([0.2, 1.0, 3.0, 0.5, 1.5], 0.0),
                              ([0.2, 1.0, 3.0, 0.5, 1.5], 0.25), (None, 1.0)]:
        out.append(cross_entropy(L, g, (6, 5), weight, smoothing))
    for weight, smoothing in [(None, 0.0), (None, 0.2), ([1.0, 4.0, 0.5], 0.0), ([1.0, 4.0, 0.5], 0.1)]:
        out.append(cross_entropy(L, g, (2, 3, 4, 5), weight, smoothing))
    out.append(cross_entropy(L, g, (2, 4, 3, 5), None, 0.0, ignore_index=255))
    out.append(cross_entropy(L, g, (2, 4, 3, 5), [0.5, 2.0, 1.0, 1.5], 0.2, ignore_index=-100))
    for shape, eps in [((2, 3, 4, 5), 1.0), ((3, 4, 3, 3), 1e-6)]:
        out.append(dice(L, g, shape, eps))
    for shape, eps in [((2, 1, 4, 5), 1.0), ((3, 2, 3, 3), 1e-6)]:
        out.append(binary_dice(L, g, shape, eps))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--lib", default=None)
    a = ap.parse_args()
    L = load_lib(a.lib)
    g = L.torch.Generator().manual_seed(a.seed)
    all_cases = cases(L, g)
    os.makedirs(a.out, exist_ok=True)
    for c in all_cases:
        with open(os.path.join(a.out, c["name"] + ".json"), "w") as f:
            json.dump(c, f, separators=(",", ":"))
    print(f"wrote {len(all_cases)} cases to {a.out}")


if __name__ == "__main__":
    main()
