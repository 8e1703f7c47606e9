#!/usr/bin/env python3
"""numpy.argsort's order, ties included, for introsort_order's test.

Writes numpy_argsort.json: arrays of small integers (so that values repeat) and
of doubles, of lengths on both sides of numpy's insertion-sort cutoff (16), with
np.argsort(values) (kind 'quicksort', the default, as sfo.py calls it).
Made with Debian 12's numpy 1.24.2, which the reference runs used; numpy 1.25
and later sort with AVX-512 kernels on machines that have them, in another order.

  /usr/bin/python3 make_numpy_argsort.py
"""
import json
import os

import numpy as np


def main():
    rng = np.random.RandomState(2014)
    cases = []
    for n in (5, 16, 17, 20, 31, 64, 200, 1000):
        for kind in ("ties", "distinct"):
            if kind == "ties":
                values = rng.randint(0, max(2, n // 4), size=n).astype(float)
            else:
                values = rng.randn(n)
            cases.append({"values": [float(v) for v in values],
                          "order": [int(i) for i in np.argsort(values)]})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_argsort.json")
    with open(path, "w") as fh:
        json.dump({"numpy": np.__version__, "cases": cases}, fh)
        fh.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
