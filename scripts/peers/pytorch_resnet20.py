#!/usr/bin/python3
# PyTorch peer: training images/s of ResNet-20 (He et al. 2016, CIFAR-10: 3x32x32, conv3x3 16 + BN + ReLU,
# 3 stages x 3 basic blocks of 16/32/64 filters, stride 2 at stages 2 and 3 with 1x1 conv + BN projection
# shortcuts, global average pool, Dense 10; convolutions without bias) on random data, SGD with momentum 0.9.
# usage: python3 pytorch_resnet20.py [steps=30] [batch=64] [warmup=10]; THREADS sets the threads (2)
import os, sys, time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(int(os.environ.get("THREADS", "2"))); torch.manual_seed(0)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_check import require_fair_blas
blas = require_fair_blas()
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 30
bs = int(sys.argv[2]) if len(sys.argv) > 2 else 64
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 10


class Block(nn.Module):
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
        s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
        s.short = None
        if stride != 1 or cin != cout:
            s.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(s, x):
        h = F.relu(s.b1(s.c1(x))); h = s.b2(s.c2(h))
        return F.relu(h + (x if s.short is None else s.short(x)))


class ResNet20(nn.Module):
    def __init__(s):
        super().__init__()
        s.c = nn.Conv2d(3, 16, 3, 1, 1, bias=False); s.b = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                layers.append(Block(cin, cout, stride if i == 0 else 1)); cin = cout
        s.blocks = nn.Sequential(*layers); s.fc = nn.Linear(64, 10)

    def forward(s, x):
        x = s.blocks(F.relu(s.b(s.c(x))))
        return s.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


m = ResNet20(); opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
X = torch.randn(bs, 3, 32, 32); Y = torch.randint(0, 10, (bs,))
def step(): opt.zero_grad(); F.cross_entropy(m(X), Y).backward(); opt.step()
for _ in range(warmup): step()
t = time.perf_counter()
for _ in range(steps): step()
dt = time.perf_counter() - t
params = sum(p.numel() for p in m.parameters())
print(f"resnet20 train bs={bs}: {steps * bs / dt:.0f} images/s (torch {torch.__version__}, {params} parameters, "
      f"steps={steps}) {blas}")
