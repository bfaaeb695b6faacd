#!/usr/bin/python3
"""ONNX files made by PyTorch's exporter, with PyTorch's outputs, for jcnn's ONNX import tests.

Runs torch.onnx.export (opset 17, the highest torch 1.13 supports) on three small CNNs in eval
mode and writes, for each NAME:
  NAME.onnx   the exported model, weights inside as initializers
  NAME.txt    a fixed input and PyTorch's output for it, as text:
                input D0 D1 ...     (the batch shape, NCHW)
                v v v ...           (the input's values, row-major, one line)
                output D0 D1 ...
                v v v ...           (PyTorch's float32 output, %.9g, so it reads back exactly)

The models:
  lenet5          jcnn's zoo LeNet-5 (ModelZoo.lenet5): 6@5x5 SAME + ReLU, max pool 2, 16@5x5 + ReLU,
                  max pool 2, flatten, Dense 120, 84 (ReLU), 10 with softmax; input 1x28x28
  resblock_bn     a stem convolution, a residual block (conv, batch norm, ReLU, conv, batch norm,
                  add the block's input, ReLU), global average pooling, flatten, Dense 4;
                  the batch norms have non-trivial running statistics; input 3x8x8
  encoder_decoder two stride-2 convolutions, a transposed convolution back up, a skip
                  concatenation, nearest upsampling, bilinear upsampling (align_corners=False)
                  of the bottleneck, an add and a final convolution; input 3x16x16
  mobile_block    MobileNet's kind of block: a stem, a 1x1 expansion with ReLU6, a depthwise 3x3 stride 2
                  (group = channels) with ReLU6, a depthwise 3x3 dilated 2 with multiplier 2, a grouped
                  (4 groups) convolution dilated (1, 2), global average pooling and a Linear; input 3x11x12
                  (appended after the others, so the models before it draw the same weights)
  grouped_decoder a stride-2 convolution, a transposed convolution with two groups (stride 2, output
                  padding 1) and a depthwise transposed convolution dilated 2; input 4x7x8

BatchNormalization is kept as its own node (training=PRESERVE on a model in eval mode: the EVAL
mode's peephole pass would fold it into the convolution before it, and the import test is about
reading it).

usage: /usr/bin/python3 scripts/make_onnx_models.py [OUT_DIR] [--seed N]
       (OUT_DIR defaults to onnx/src/test/resources/pytorch)
"""
import argparse, os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return F.softmax(self.fc3(x), dim=1)


class ResBlockBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.conv1 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = F.relu(self.stem(x))
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        x = F.relu(x + y)
        return self.fc(torch.flatten(self.pool(x), 1))


class EncoderDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.enc2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.dec1 = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.up_bottleneck = nn.Upsample(scale_factor=4, mode="bilinear", align_corners=False)
        self.head = nn.Conv2d(16, 2, 3, padding=1)
        self.side = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        e1 = F.relu(self.enc1(x))
        e2 = F.relu(self.enc2(e1))
        d1 = F.relu(self.dec1(e2))
        y = self.head(self.up(torch.cat([d1, e1], dim=1)))
        return y + self.side(self.up_bottleneck(e2))


class MobileBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.expand = nn.Conv2d(8, 16, 1)
        self.depthwise = nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=16)
        self.multiplied = nn.Conv2d(16, 32, 3, padding=2, dilation=2, groups=16, bias=False)
        self.grouped = nn.Conv2d(32, 8, 3, padding=(1, 2), dilation=(1, 2), groups=4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = F.relu6(self.expand(x))
        x = F.relu6(self.depthwise(x))
        x = self.grouped(self.multiplied(x))
        return self.fc(torch.flatten(self.pool(x), 1))


class GroupedDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.dilated = nn.ConvTranspose2d(6, 6, 3, padding=2, dilation=2, groups=6)

    def forward(self, x):
        return self.dilated(F.relu(self.up(F.relu(self.enc(x)))))


def randomise_bn(module, g):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 1 + 0.3 * torch.randn(c, generator=g)
            m.bias.data = 0.2 * torch.randn(c, generator=g)
            m.running_mean.data = 0.3 * torch.randn(c, generator=g)
            m.running_var.data = 0.5 + torch.rand(c, generator=g)


def write(out_dir, name, model, x):
    model.eval()
    with torch.no_grad():
        y = model(x)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=OPSET, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    with open(os.path.join(out_dir, name + ".txt"), "w") as f:
        for label, t in (("input", x), ("output", y)):
            f.write(label + " " + " ".join(str(d) for d in t.shape) + "\n")
            f.write(" ".join("%.9g" % v for v in t.flatten().tolist()) + "\n")
    print(name, os.path.getsize(path), "bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir", nargs="?", default=os.path.join(HERE, "..", "onnx", "src", "test", "resources",
                                                                "pytorch"))
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    write(args.out_dir, "lenet5", LeNet5(), torch.rand(2, 1, 28, 28, generator=g))
    res = ResBlockBN()
    randomise_bn(res, g)
    write(args.out_dir, "resblock_bn", res, torch.randn(2, 3, 8, 8, generator=g))
    write(args.out_dir, "encoder_decoder", EncoderDecoder(), torch.randn(2, 3, 16, 16, generator=g))
    write(args.out_dir, "mobile_block", MobileBlock(), torch.randn(2, 3, 11, 12, generator=g))
    write(args.out_dir, "grouped_decoder", GroupedDecoder(), torch.randn(2, 4, 7, 8, generator=g))


if __name__ == "__main__":
    main()
