#!/usr/bin/python3
"""How close descent.torch trains to torch.optim: the largest relative
difference of the parameters after 100 steps, for each of the cases of
python/tests/test_torch.py against its reference (torch.optim's class, or
the test's own for NAdam and Lion) (same MLP, data and settings), in float32 and
float64. The test asserts 1e-5 and 1e-12; this prints what is reached.

usage: PYTHONPATH=build/python bench/python/torch_parity.py
"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "python", "tests"))
from test_torch import CASES, REFERENCES, relative_difference, train_pair  # noqa: E402


def main():
    print(f"| {'case':<30} | {'reference':<16} | float32 | float64 |")
    print(f"|{'-' * 32}|{'-' * 18}|---------|---------|")
    for case_id, name, arguments in CASES:
        cells = []
        for dtype in (torch.float32, torch.float64):
            model, _, reference, _ = train_pair(name, arguments, dtype)
            cells.append(relative_difference(list(model.parameters()),
                                             list(reference.parameters())))
        # NAdam and Lion are set beside the test's references: NAdam as torch
        # >= 2.0 computes it (1.13 has a bug), Lion as its paper's program.
        reference_name = f"{name} (test's)" if name in REFERENCES else f"torch {name}"
        print(f"| {case_id:<30} | {reference_name:<16} | {cells[0]:.1e} | {cells[1]:.1e} |")


if __name__ == "__main__":
    main()
