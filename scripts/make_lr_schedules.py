#!/usr/bin/python3
"""The learning rates of torch.optim.lr_scheduler's StepLR, ExponentialLR and LinearLR + CosineAnnealingLR
(SequentialLR), position by position, for dev.jcnn.train's LearningRateScheduleTest.

Each schedule is stepped once per position, as a scheduler stepped after every batch (or epoch);
"rates"[t] is the optimizer's learning rate during position t. The cosine with warm-up W over
T positions is SequentialLR([LinearLR(start_factor=1/(W+1), end_factor=1, total_iters=W),
CosineAnnealingLR(T_max=T-W, eta_min=MIN)], milestones=[W]); without warm-up CosineAnnealingLR
alone.

usage: make_lr_schedules.py OUT_JSON
"""
import json, sys, warnings
import torch

warnings.filterwarnings("ignore")


def rates(make, base, n):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    sched = make(opt)
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def cosine(opt, total, warmup, minimum):
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=minimum)
    if warmup == 0:
        return cos
    lin = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0 / (warmup + 1), end_factor=1.0, total_iters=warmup)
    return torch.optim.lr_scheduler.SequentialLR(opt, [lin, cos], milestones=[warmup])


def main():
    S = torch.optim.lr_scheduler
    cases = []
    for base, step, gamma in [(0.1, 3, 0.5), (0.05, 1, 0.7), (0.01, 10, 0.1)]:
        cases.append({"kind": "step", "base": base, "step": step, "gamma": gamma,
                      "rates": rates(lambda o: S.StepLR(o, step_size=step, gamma=gamma), base, 25)})
    for base, gamma in [(0.1, 0.9), (0.001, 0.7)]:
        cases.append({"kind": "exponential", "base": base, "gamma": gamma,
                      "rates": rates(lambda o: S.ExponentialLR(o, gamma=gamma), base, 20)})
    for base, total, warmup, minimum in [(0.1, 20, 0, 0.0), (0.1, 20, 5, 0.0), (0.05, 12, 3, 0.001), (0.2, 8, 1, 0.0)]:
        cases.append({"kind": "cosine", "base": base, "total": total, "warmup": warmup, "min": minimum,
                      "rates": rates(lambda o: cosine(o, total, warmup, minimum), base, total + 1)})
    with open(sys.argv[1], "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} schedules to {sys.argv[1]}")


if __name__ == "__main__":
    main()
