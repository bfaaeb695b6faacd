#!/usr/bin/python3
"""Golden trajectories of torch.optim.AdamW and torch.optim.RMSprop, computed by PyTorch in float64.

Same JSON format as make_golden.py (see its docstring), which this script imports for
rnd/case. Each case runs five steps of the optimizer on one parameter from zero state, with a
new gradient per step:
  adamw    params lr, beta1, beta2, eps, weight_decay (decoupled, AdamW's)
           in param, grad 1 .. grad 5
           out param after step k, m after step k (exp_avg), v after step k (exp_avg_sq)
  rmsprop  params lr, alpha, eps, weight_decay, momentum, centered
           in param, grad 1 .. grad 5
           out param after step k, square_avg after step k, grad_avg after step k (centered only),
               momentum_buffer after step k (with momentum only)
Hyper-parameters are rounded to float32 first, as jcnn's specs hold them.

usage: make_golden_optimizers.py OUT_DIR [--seed N] [--lib DIR_WITH_make_golden.py]
"""
import argparse, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 5


def load_lib(path):
    candidates = [path] if path else [os.path.join(HERE, "..", "..", "shared", "golden"),
                                      os.path.join(HERE, "..", "shared", "golden"), "/work/shared/golden"]
    for c in candidates:
        if c and os.path.exists(os.path.join(c, "make_golden.py")):
            sys.path.insert(0, os.path.abspath(c))
            import make_golden
            return make_golden
    sys.exit("make_golden.py not found in " + ", ".join(map(str, candidates)) + "; pass --lib DIR")


def f32(x):
    import torch
    return torch.tensor(x, dtype=torch.float32).item()


def trajectory(L, g, name, op, params, shape, make, slots):
    torch = L.torch
    p = L.rnd(g, *shape)
    grads = [L.rnd(g, *shape) for _ in range(STEPS)]
    w = p.clone().requires_grad_()
    opt = make([w])
    outputs = {}
    for k in range(1, STEPS + 1):
        w.grad = grads[k - 1].clone()
        opt.step()
        outputs[f"param after step {k}"] = w.detach().clone()
        state = opt.state[w]
        for out_name, state_name in slots:
            outputs[f"{out_name} after step {k}"] = state[state_name].detach().clone()
    inputs = {"param": p}
    for k in range(1, STEPS + 1):
        inputs[f"grad {k}"] = grads[k - 1]
    dims = "x".join(map(str, shape))
    return L.case(f"{name}_{dims}", op, params, inputs, outputs)


def adamw(L, g, shape, lr, beta1, beta2, eps, wd):
    lr, beta1, beta2, eps, wd = map(f32, (lr, beta1, beta2, eps, wd))
    params = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": wd}
    name = f"adamw_lr{lr:g}_b{beta1:g}_{beta2:g}_wd{wd:g}"
    return trajectory(L, g, name, "adamw", params, shape,
                      lambda ps: L.torch.optim.AdamW(ps, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd),
                      [("m", "exp_avg"), ("v", "exp_avg_sq")])


def rmsprop(L, g, shape, lr, alpha, eps, wd, momentum, centered):
    lr, alpha, eps, wd, momentum = map(f32, (lr, alpha, eps, wd, momentum))
    params = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": wd, "momentum": momentum, "centered": centered}
    slots = [("square_avg", "square_avg")]
    if centered:
        slots.append(("grad_avg", "grad_avg"))
    if momentum > 0:
        slots.append(("momentum_buffer", "momentum_buffer"))
    name = f"rmsprop_lr{lr:g}_a{alpha:g}_wd{wd:g}_m{momentum:g}" + ("_centered" if centered else "")
    return trajectory(L, g, name, "rmsprop", params, shape,
                      lambda ps: L.torch.optim.RMSprop(ps, lr=lr, alpha=alpha, eps=eps, weight_decay=wd,
                                                       momentum=momentum, centered=centered),
                      slots)


def cases(L, g):
    return [
        adamw(L, g, (3, 4), 1e-3, 0.9, 0.999, 1e-8, 1e-2),
        adamw(L, g, (2, 3, 2, 2), 0.05, 0.8, 0.99, 1e-6, 0.1),
        rmsprop(L, g, (3, 4), 0.01, 0.99, 1e-8, 0.0, 0.0, False),
        rmsprop(L, g, (2, 3, 2, 2), 0.01, 0.9, 1e-6, 0.0, 0.9, False),
        rmsprop(L, g, (5, 3), 0.005, 0.95, 1e-8, 0.0, 0.0, True),
        rmsprop(L, g, (4, 2, 3), 0.02, 0.8, 1e-5, 0.01, 0.5, True),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--lib", default=None)
    a = ap.parse_args()
    L = load_lib(a.lib)
    g = L.torch.Generator().manual_seed(a.seed)
    out = cases(L, g)
    os.makedirs(a.out, exist_ok=True)
    for c in out:
        with open(os.path.join(a.out, c["name"] + ".json"), "w") as f:
            json.dump(c, f, separators=(",", ":"))
    print(f"wrote {len(out)} cases to {a.out}")


if __name__ == "__main__":
    main()
