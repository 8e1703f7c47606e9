#!/usr/bin/env python3
"""Writes torch_conv_net.json: one forward and backward pass of a small conv
net in PyTorch, in double precision, on fixed weights and inputs.

The network (descent's layer specs; input 2x9x8, rows and columns differ so
that a swap of the two shows):
  conv 3 3x3 pad=same, relu        TensorFlow's SAME: 1 pixel on every side
  maxpool 2x2 stride=2 pad=same    9x8 -> 5x4: one row of padding at the bottom
  conv 4 3x3 stride=2 pad=1, relu  PyTorch's padding=1: 5x4 -> 3x2
  maxpool 3x3 stride=2 pad=same    3x2 -> 2x1: padding 1 above and 1 below, 1 right
  flatten, dense 6, relu, dense 3
with the softmax cross-entropy of 4 samples and L2 0.5 * reg * sum(W^2)
over the conv kernels and dense weights (reg = 0.01).

TensorFlow's SAME is built from F.pad (zeros for conv, -inf for max pooling,
whose padded cells never win) as DeepOBS's PyTorch port does in
deepobs/pytorch/testproblems/testproblems_utils.py.

Parameters are written in descent's layout and names: conv{k}.W is PyTorch's
weight (F, C, k, k) flattened to (F, C k k), conv{k}.b its bias; W{k} is the
transpose of nn.Linear's weight, (in, out), b{k} its bias. The input is NCHW,
one sample per row. The C++ test reads the JSON and needs no Python. Run with
Debian's python3-torch:  /usr/bin/python3 tests/nn/reference/make_conv_reference.py
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent

N, C, H, W = 4, 2, 9, 8
CLASSES = 3
REG = 0.01
LAYERS = [
    "conv 3 3x3 pad=same", "relu",
    "maxpool 2x2 stride=2 pad=same",
    "conv 4 3x3 stride=2 pad=1", "relu",
    "maxpool 3x3 stride=2 pad=same",
    "flatten", "dense 6", "relu", "dense 3",
]


def same_padding(size, kernel, stride):
    """TensorFlow's SAME: (before, after) for one dimension."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_same(x, kernel, stride, value):
    top, bottom = same_padding(x.shape[2], kernel, stride)
    left, right = same_padding(x.shape[3], kernel, stride)
    return F.pad(x, (left, right, top, bottom), value=value)


def forward(x, p):
    h = F.relu(F.conv2d(pad_same(x, 3, 1, 0.0), p["conv1.W"], p["conv1.b"]))
    h = F.max_pool2d(pad_same(h, 2, 2, -math.inf), 2, 2)
    h = F.relu(F.conv2d(h, p["conv2.W"], p["conv2.b"], stride=2, padding=1))
    h = F.max_pool2d(pad_same(h, 3, 2, -math.inf), 3, 2)
    h = h.flatten(1)
    h = F.relu(F.linear(h, p["W1"], p["b1"]))
    return F.linear(h, p["W2"], p["b2"])


def main():
    gen = torch.Generator().manual_seed(2019)
    shapes = {
        "conv1.W": (3, C, 3, 3), "conv1.b": (3,),
        "conv2.W": (4, 3, 3, 3), "conv2.b": (4,),
        "W1": (6, 8), "b1": (6,),
        "W2": (CLASSES, 6), "b2": (CLASSES,),
    }
    params = {
        name: (0.5 * torch.randn(shape, generator=gen)).requires_grad_()
        for name, shape in shapes.items()
    }
    x = torch.randn(N, C, H, W, generator=gen)
    y = torch.tensor([0, 2, 1, 2])

    scores = forward(x, params)
    weights = ["conv1.W", "conv2.W", "W1", "W2"]
    loss = F.cross_entropy(scores, y) + 0.5 * REG * sum(
        (params[name] ** 2).sum() for name in weights)
    loss.backward()

    def descent_layout(name, tensor):
        tensor = tensor.detach()
        if name.startswith("conv"):
            return tensor.reshape(tensor.shape[0], -1).flatten().tolist()
        if name.startswith("W"):
            return tensor.t().flatten().tolist()
        return tensor.flatten().tolist()

    out = {
        "layers": LAYERS,
        "input_shape": [C, H, W],
        "num_classes": CLASSES,
        "reg": REG,
        "x": x.flatten().tolist(),
        "y": y.tolist(),
        "params": {n: descent_layout(n, t) for n, t in params.items()},
        "loss": loss.item(),
        "scores": scores.detach().flatten().tolist(),
        "grads": {n: descent_layout(n, t.grad) for n, t in params.items()},
        "torch_version": torch.__version__,
    }
    path = HERE / "torch_conv_net.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
