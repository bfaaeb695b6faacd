#!/usr/bin/python3
"""Golden cases for the ops of functional models and segmentation, computed by PyTorch in float64.

Same JSON format as make_golden.py (see its docstring), which this script imports for
rnd/t/case; extra ops and their tensors:
  conv_transpose2d     params kernel, stride, padding, output_padding
                       (weights [C_in, C_out, kh, kw] as PyTorch keeps them)
                                                         in x w b dy        out y dx dw db
  upsample_nearest2d   params factor [fh, fw]            in x dy            out y dx
  upsample_bilinear2d  params factor [fh, fw] (half-pixel centres, align_corners=False)
                                                         in x dy            out y dx
  batch_norm           params training, eps, momentum (PyTorch's: the batch's weight in the running
                       averages; the running variance is unbiased); per channel of axis 1
                                                         in x gamma beta running_mean running_var dy
                       training: out y dx dgamma dbeta running_mean running_var (after the step)
                       inference: out y
  global_avg_pool2d    mean over H, W; y is [N, C]       in x dy            out y dx
  concat               along axis 1, params parts        in x0 x1 ... dy    out y dx0 dx1 ...
  global_max_pool2d    max over H, W; y is [N, C]        in x dy            out y dx
  conv2d               make_golden.py's, with params dilation [dh, dw] and groups
                       (weights [K, C/groups, kh, kw])   in x w b dy        out y dx dw db
  max_pool2d, avg_pool2d with params ceil_mode true (and make_golden.py's kernel, stride,
                       padding, count_include_pad): PyTorch's ceil_mode=True
                                                         in x dy            out y dx
  local_response_norm  params size, alpha, beta, k (PyTorch's: alpha divided by size, the window
                       of size channels centred, zero-padded)
                                                         in x dy            out y dx
in the set "transposed":
  conv_transpose2d     the above with params dilation [dh, dw] and groups
                       (weights [C_in, C_out/groups, kh, kw])
                                                         in x w b dy        out y dx dw db
and, in the set "activations" (activations added after the op-family redesign):
  gelu                 params approximate ("none": x·Φ(x); "tanh": PyTorch's tanh form)
                                                         in x dy            out y dx
  silu                 x·sigmoid(x)                      in x dy            out y dx
  relu6                min(max(x, 0), 6)                 in x dy            out y dx
  hardsigmoid          relu6(x + 3)/6                    in x dy            out y dx
  hardswish            x·relu6(x + 3)/6                  in x dy            out y dx

Each set draws from its own generator seeded with --seed, so adding a case to one set
leaves the other's files as they were; new cases go at the end of their set.

usage: make_golden_extra.py OUT_DIR [--set functional|activations|transposed] [--seed N] [--lib DIR_WITH_make_golden.py]
"""
import argparse, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_lib(path):
    candidates = [path] if path else [os.path.join(HERE, "..", "..", "shared", "golden"),
                                      os.path.join(HERE, "..", "shared", "golden"), "/work/shared/golden"]
    for c in candidates:
        if c and os.path.exists(os.path.join(c, "make_golden.py")):
            sys.path.insert(0, os.path.abspath(c))
            import make_golden
            return make_golden
    sys.exit("make_golden.py not found in " + ", ".join(map(str, candidates)) + "; pass --lib DIR")


def conv_transpose2d(L, g, n, c, h, w, k, kernel, stride, padding, output_padding):
    x = L.rnd(g, n, c, h, w).requires_grad_()
    wt = L.rnd(g, c, k, *kernel, scale=0.3).requires_grad_()
    b = L.rnd(g, k).requires_grad_()
    y = L.F.conv_transpose2d(x, wt, b, stride=stride, padding=padding, output_padding=output_padding)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    name = (f"conv_transpose2d_n{n}c{c}h{h}w{w}_k{k}_f{kernel[0]}x{kernel[1]}_s{stride[0]}x{stride[1]}"
            f"_p{padding[0]}x{padding[1]}_op{output_padding[0]}x{output_padding[1]}")
    return L.case(name, "conv_transpose2d",
                  {"kernel": list(kernel), "stride": list(stride), "padding": list(padding),
                   "output_padding": list(output_padding)},
                  {"x": x.detach(), "w": wt.detach(), "b": b.detach(), "dy": dy},
                  {"y": y.detach(), "dx": x.grad, "dw": wt.grad, "db": b.grad})


def conv_transpose2d_dilated_grouped(L, g, n, c, h, w, k, kernel, stride, padding, output_padding, dilation,
                                    groups):
    x = L.rnd(g, n, c, h, w).requires_grad_()
    wt = L.rnd(g, c, k // groups, *kernel, scale=0.3).requires_grad_()
    b = L.rnd(g, k).requires_grad_()
    y = L.F.conv_transpose2d(x, wt, b, stride=stride, padding=padding, output_padding=output_padding,
                             groups=groups, dilation=dilation)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    name = (f"conv_transpose2d_n{n}c{c}h{h}w{w}_k{k}_f{kernel[0]}x{kernel[1]}_s{stride[0]}x{stride[1]}"
            f"_p{padding[0]}x{padding[1]}_op{output_padding[0]}x{output_padding[1]}_d{dilation[0]}x{dilation[1]}"
            f"_g{groups}")
    return L.case(name, "conv_transpose2d",
                  {"kernel": list(kernel), "stride": list(stride), "padding": list(padding),
                   "output_padding": list(output_padding), "dilation": list(dilation), "groups": groups},
                  {"x": x.detach(), "w": wt.detach(), "b": b.detach(), "dy": dy},
                  {"y": y.detach(), "dx": x.grad, "dw": wt.grad, "db": b.grad})


def transposed_cases(L, g):
    out = []
    # dilated (square, rectangular with output padding), two groups with stride 2, depthwise
    # (groups = channels) with multipliers 1 and 2, dilated and grouped at once
    out.append(conv_transpose2d_dilated_grouped(L, g, 2, 3, 4, 4, 2, (3, 3), (1, 1), (1, 1), (0, 0), (2, 2), 1))
    out.append(conv_transpose2d_dilated_grouped(L, g, 1, 2, 3, 4, 3, (3, 2), (2, 1), (1, 0), (1, 0), (2, 3), 1))
    out.append(conv_transpose2d_dilated_grouped(L, g, 2, 4, 4, 4, 6, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 2))
    out.append(conv_transpose2d_dilated_grouped(L, g, 2, 4, 5, 5, 4, (3, 3), (1, 1), (1, 1), (0, 0), (1, 1), 4))
    out.append(conv_transpose2d_dilated_grouped(L, g, 1, 3, 3, 3, 6, (3, 3), (2, 2), (0, 0), (1, 0), (1, 1), 3))
    out.append(conv_transpose2d_dilated_grouped(L, g, 2, 6, 4, 5, 4, (3, 3), (2, 2), (2, 2), (1, 1), (2, 2), 2))
    return out


def conv2d_dilated_grouped(L, g, n, c, h, w, k, kernel, stride, padding, dilation, groups):
    x = L.rnd(g, n, c, h, w).requires_grad_()
    wt = L.rnd(g, k, c // groups, *kernel, scale=0.3).requires_grad_()
    b = L.rnd(g, k).requires_grad_()
    y = L.F.conv2d(x, wt, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    name = (f"conv2d_n{n}c{c}h{h}w{w}_k{k}_f{kernel[0]}x{kernel[1]}_s{stride[0]}x{stride[1]}"
            f"_p{padding[0]}x{padding[1]}_d{dilation[0]}x{dilation[1]}_g{groups}")
    return L.case(name, "conv2d", {"kernel": list(kernel), "stride": list(stride), "padding": list(padding),
                                   "dilation": list(dilation), "groups": groups},
                  {"x": x.detach(), "w": wt.detach(), "b": b.detach(), "dy": dy},
                  {"y": y.detach(), "dx": x.grad, "dw": wt.grad, "db": b.grad})


def upsample(L, g, mode, shape, factor):
    x = L.rnd(g, *shape).requires_grad_()
    if mode == "nearest":
        y = L.F.interpolate(x, scale_factor=tuple(factor), mode="nearest")
    else:
        y = L.F.interpolate(x, scale_factor=tuple(factor), mode="bilinear", align_corners=False)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    op = f"upsample_{mode}2d"
    return L.case(f"{op}_{'x'.join(map(str, shape))}_f{factor[0]}x{factor[1]}", op, {"factor": list(factor)},
                  {"x": x.detach(), "dy": dy}, {"y": y.detach(), "dx": x.grad})


def batch_norm(L, g, shape, training, eps, momentum):
    c = shape[1]
    x = (L.rnd(g, *shape, scale=2.0) + 0.5).float().double().requires_grad_()
    gamma = (1 + L.rnd(g, c, scale=0.3)).float().double().requires_grad_()
    beta = L.rnd(g, c, scale=0.3).requires_grad_()
    rm = L.rnd(g, c, scale=0.5)
    rv = (0.5 + L.torch.rand(c, generator=g)).float().double()
    inputs = {"x": x.detach().clone(), "gamma": gamma.detach().clone(), "beta": beta.detach().clone(),
              "running_mean": rm.clone(), "running_var": rv.clone()}
    y = L.F.batch_norm(x, rm, rv, gamma, beta, training=training, momentum=momentum, eps=eps)
    dy = L.rnd(g, *y.shape)
    inputs["dy"] = dy
    tag = "train" if training else "eval"
    name = f"batch_norm_{tag}_{'x'.join(map(str, shape))}"
    params = {"training": training, "eps": eps, "momentum": momentum}
    if not training:
        return L.case(name, "batch_norm", params, inputs, {"y": y.detach()})
    y.backward(dy)
    return L.case(name, "batch_norm", params, inputs,
                  {"y": y.detach(), "dx": x.grad, "dgamma": gamma.grad, "dbeta": beta.grad,
                   "running_mean": rm, "running_var": rv})


def local_response_norm(L, g, shape, size, alpha, beta, k):
    x = L.rnd(g, *shape, scale=2.0).requires_grad_()
    y = L.F.local_response_norm(x, size, alpha=alpha, beta=beta, k=k)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    return L.case(f"local_response_norm_s{size}_{'x'.join(map(str, shape))}", "local_response_norm",
                  {"size": size, "alpha": alpha, "beta": beta, "k": k},
                  {"x": x.detach(), "dy": dy}, {"y": y.detach(), "dx": x.grad})


def global_avg_pool2d(L, g, shape):
    x = L.rnd(g, *shape).requires_grad_()
    y = x.mean(dim=(2, 3))
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    return L.case(f"global_avg_pool2d_{'x'.join(map(str, shape))}", "global_avg_pool2d", {},
                  {"x": x.detach(), "dy": dy}, {"y": y.detach(), "dx": x.grad})


def global_max_pool2d(L, g, shape):
    x = L.rnd(g, *shape).requires_grad_()
    y = L.torch.amax(x, dim=(2, 3))
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    return L.case(f"global_max_pool2d_{'x'.join(map(str, shape))}", "global_max_pool2d", {},
                  {"x": x.detach(), "dy": dy}, {"y": y.detach(), "dx": x.grad})


def ceil_pool(L, g, kind, n, c, h, w, kernel, stride, padding, include_pad=True):
    x = L.rnd(g, n, c, h, w).requires_grad_()
    params = {"kernel": list(kernel), "stride": list(stride), "padding": list(padding), "ceil_mode": True}
    if kind == "max_pool2d":
        y = L.F.max_pool2d(x, kernel, stride, padding, ceil_mode=True)
    else:
        y = L.F.avg_pool2d(x, kernel, stride, padding, ceil_mode=True, count_include_pad=include_pad)
        params["count_include_pad"] = include_pad
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    tag = "" if kind == "max_pool2d" else ("_incpad" if include_pad else "_excpad")
    return L.case(f"{kind}_n{n}c{c}h{h}w{w}_f{kernel[0]}x{kernel[1]}_s{stride[0]}x{stride[1]}"
                  f"_p{padding[0]}x{padding[1]}{tag}_ceil", kind, params, {"x": x.detach(), "dy": dy},
                  {"y": y.detach(), "dx": x.grad})


def concat(L, g, n, channels, rest):
    xs = [L.rnd(g, n, c, *rest).requires_grad_() for c in channels]
    y = L.torch.cat(xs, dim=1)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    inputs = {f"x{i}": v.detach() for i, v in enumerate(xs)}
    inputs["dy"] = dy
    outputs = {"y": y.detach(), **{f"dx{i}": v.grad for i, v in enumerate(xs)}}
    name = f"concat_n{n}_c{'+'.join(map(str, channels))}_{'x'.join(map(str, rest)) or 'flat'}"
    return L.case(name, "concat", {"parts": len(channels)}, inputs, outputs)


def activation(L, g, op, shape, params, tails=False):
    """x Gaussian of scale 2, or with tails=True evenly spaced over [-8, 8] (both saturated tails, 0 included)."""
    fn = {"gelu": lambda v: L.F.gelu(v, approximate=params["approximate"]), "silu": L.F.silu,
          "relu6": L.F.relu6, "hardsigmoid": L.F.hardsigmoid, "hardswish": L.F.hardswish}[op]
    if tails:
        count = 1
        for d in shape:
            count *= d
        x = L.torch.linspace(-8, 8, count).reshape(shape).float().double().requires_grad_()
    else:
        x = L.rnd(g, *shape, scale=2.0).requires_grad_()
    y = fn(x)
    dy = L.rnd(g, *y.shape)
    y.backward(dy)
    suffix = "".join(f"_{k}_{v}" for k, v in params.items()) + ("_tails" if tails else "")
    return L.case(f"{op}_{'x'.join(map(str, shape))}{suffix}", op, params,
                  {"x": x.detach(), "dy": dy}, {"y": y.detach(), "dx": x.grad})


def activation_cases(L, g):
    out = []
    for approximate in ("none", "tanh"):
        out.append(activation(L, g, "gelu", (2, 3, 4, 5), {"approximate": approximate}))
        out.append(activation(L, g, "gelu", (4, 7), {"approximate": approximate}))
        out.append(activation(L, g, "gelu", (3, 67), {"approximate": approximate}, tails=True))
    out.append(activation(L, g, "silu", (2, 3, 4, 5), {}))
    out.append(activation(L, g, "silu", (4, 7), {}))
    out.append(activation(L, g, "silu", (3, 67), {}, tails=True))
    # scale 2 puts many inputs beyond ±3; the tails reach past 6 and hold the kinks' neighbours
    for op in ("relu6", "hardsigmoid", "hardswish"):
        out.append(activation(L, g, op, (2, 3, 4, 5), {}))
        out.append(activation(L, g, op, (4, 7), {}))
        out.append(activation(L, g, op, (3, 67), {}, tails=True))
    return out


def extra_cases(L, g):
    out = []
    # the decoder's usual 2x up (kernel 2, stride 2), Keras "same" with kernel 3 / stride 2
    # (padding 1, output padding 1), rectangular kernels and strides, overlapping windows
    out.append(conv_transpose2d(L, g, 1, 2, 4, 4, 3, (2, 2), (2, 2), (0, 0), (0, 0)))
    out.append(conv_transpose2d(L, g, 2, 3, 5, 5, 4, (3, 3), (2, 2), (1, 1), (1, 1)))
    out.append(conv_transpose2d(L, g, 2, 4, 3, 3, 2, (4, 4), (2, 2), (1, 1), (0, 0)))
    out.append(conv_transpose2d(L, g, 1, 2, 4, 6, 3, (2, 3), (2, 1), (0, 0), (0, 0)))
    out.append(conv_transpose2d(L, g, 2, 3, 6, 6, 5, (3, 3), (1, 1), (1, 1), (0, 0)))
    out.append(conv_transpose2d(L, g, 1, 2, 3, 3, 2, (2, 2), (3, 3), (0, 0), (2, 1)))
    out.append(upsample(L, g, "nearest", (2, 3, 4, 5), (2, 2)))
    out.append(upsample(L, g, "nearest", (1, 2, 3, 3), (3, 2)))
    out.append(upsample(L, g, "bilinear", (2, 3, 4, 5), (2, 2)))
    out.append(upsample(L, g, "bilinear", (1, 2, 3, 4), (3, 2)))
    out.append(upsample(L, g, "bilinear", (1, 1, 1, 3), (2, 4)))
    out.append(batch_norm(L, g, (4, 3, 5, 5), True, 1e-5, 0.1))
    out.append(batch_norm(L, g, (6, 4), True, 1e-3, 0.01))
    out.append(batch_norm(L, g, (2, 2, 1, 1), True, 1e-3, 0.5))
    out.append(batch_norm(L, g, (3, 3, 4, 4), False, 1e-3, 0.01))
    out.append(global_avg_pool2d(L, g, (2, 3, 4, 5)))
    out.append(global_avg_pool2d(L, g, (3, 2, 1, 7)))
    out.append(concat(L, g, 2, (3, 1, 2), (4, 5)))
    out.append(concat(L, g, 3, (4, 2), ()))
    out.append(global_max_pool2d(L, g, (2, 3, 4, 5)))
    out.append(global_max_pool2d(L, g, (3, 2, 1, 7)))
    out.append(global_max_pool2d(L, g, (1, 4, 6, 1)))
    # ceil mode: a last window past the input (2x2/2 on 5x5, 3x3/2 on 8x8 padded 1), one that
    # PyTorch drops as it would start in the padding (3x3/2 on 5x5 padded 1), rectangular windows,
    # averages counting the padding over windows that reach past the padded input
    out.append(ceil_pool(L, g, "max_pool2d", 2, 3, 5, 5, (2, 2), (2, 2), (0, 0)))
    out.append(ceil_pool(L, g, "max_pool2d", 2, 2, 8, 8, (3, 3), (2, 2), (1, 1)))
    out.append(ceil_pool(L, g, "max_pool2d", 1, 2, 5, 5, (3, 3), (2, 2), (1, 1)))
    out.append(ceil_pool(L, g, "max_pool2d", 1, 2, 6, 7, (2, 3), (2, 2), (1, 1)))
    for include_pad in (True, False):
        out.append(ceil_pool(L, g, "avg_pool2d", 2, 3, 5, 5, (2, 2), (2, 2), (0, 0), include_pad))
        out.append(ceil_pool(L, g, "avg_pool2d", 2, 2, 8, 8, (3, 3), (2, 2), (1, 1), include_pad))
        out.append(ceil_pool(L, g, "avg_pool2d", 1, 2, 6, 7, (2, 3), (2, 2), (1, 1), include_pad))
    # local response normalization: AlexNet's settings, a window wider than the channels, size 1,
    # strong ones (alpha 0.5 and 2: the x² terms dominate k)
    out.append(local_response_norm(L, g, (2, 7, 3, 3), 5, 1e-4, 0.75, 2.0))
    out.append(local_response_norm(L, g, (1, 3, 2, 4), 3, 0.5, 0.75, 1.0))
    out.append(local_response_norm(L, g, (2, 4, 2, 2), 7, 2.0, 1.0, 0.5))
    out.append(local_response_norm(L, g, (3, 6, 1, 1), 1, 1.0, 0.5, 1.0))
    # dilated convolution (a 3x3 spanning 5x5, rectangular dilation), AlexNet's two groups,
    # depthwise (groups = channels) with multipliers 1 and 2, dilated and grouped at once
    out.append(conv2d_dilated_grouped(L, g, 2, 3, 9, 9, 4, (3, 3), (1, 1), (2, 2), (2, 2), 1))
    out.append(conv2d_dilated_grouped(L, g, 1, 2, 10, 11, 3, (3, 2), (2, 1), (1, 2), (2, 3), 1))
    out.append(conv2d_dilated_grouped(L, g, 2, 4, 7, 7, 6, (3, 3), (1, 1), (1, 1), (1, 1), 2))
    out.append(conv2d_dilated_grouped(L, g, 2, 4, 7, 7, 4, (3, 3), (1, 1), (1, 1), (1, 1), 4))
    out.append(conv2d_dilated_grouped(L, g, 1, 3, 8, 8, 6, (3, 3), (2, 2), (1, 1), (1, 1), 3))
    out.append(conv2d_dilated_grouped(L, g, 2, 4, 9, 9, 4, (3, 3), (1, 1), (2, 2), (2, 2), 2))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--set", choices=["functional", "activations", "transposed"], default="functional")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--lib", default=None)
    a = ap.parse_args()
    L = load_lib(a.lib)
    g = L.torch.Generator().manual_seed(a.seed)
    sets = {"functional": extra_cases, "activations": activation_cases, "transposed": transposed_cases}
    cases = sets[a.set](L, g)
    os.makedirs(a.out, exist_ok=True)
    for c in cases:
        with open(os.path.join(a.out, c["name"] + ".json"), "w") as f:
            json.dump(c, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {a.out}")


if __name__ == "__main__":
    main()
