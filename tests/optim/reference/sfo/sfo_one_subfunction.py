#!/usr/bin/env python3
"""SFO with one subfunction (a full-batch quasi-Newton method), by the authors' sfo.py.

Imports sfo.py from SFO_REF (environment variable; default ./sfo-ref), a copy of
github.com/Sohl-Dickstein/Sum-of-Functions-Optimizer at commit 36c66df (as
sfo_reference_run.py does; nothing of it is copied here), and runs it with its
defaults on f(x) = 1/2 sum_m (m + 1) x_m^2, x in R^10, from x = 1, writing f at the
point SFO holds after each step, with the evaluations made so far, for 60
evaluations: ref_one_subfunction.json. Needs numpy (Debian's python3-numpy).

  SFO_REF=path/to/sfo-ref /usr/bin/python3 sfo_one_subfunction.py
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import contextlib
import io
import json
import re
import sys

import numpy as np

SFO_REF = os.environ.get("SFO_REF", "sfo-ref")
sys.path.insert(0, SFO_REF)
from sfo import SFO  # noqa: E402  (the authors' optimizer, unmodified)

CURVATURES = np.arange(1, 11, dtype=float).reshape(-1, 1)


def f_df(x, _):
    return 0.5 * float(np.sum(CURVATURES * x * x)), CURVATURES * x


def main():
    rows = []
    with contextlib.redirect_stdout(io.StringIO()):
        opt = SFO(f_df, np.ones((10, 1)), [0], display=0)
        while opt.eval_count_total < 60:
            opt.optimization_step()
            rows.append([int(opt.eval_count_total), float("%.17g" % f_df(opt.theta, 0)[0])])
    out = {"what": __doc__.strip().split("\n")[0],
           "problem": "f(x) = 1/2 sum_m (m + 1) x_m^2, M = 10, x0 = 1, N = 1, SFO defaults",
           "reference": {"repo": "github.com/Sohl-Dickstein/Sum-of-Functions-Optimizer",
                         "commit": "36c66dfef68b344eca0ca9bb56d0a7bed2075036",
                         "numpy": np.__version__},
           "f_after_evaluations": rows}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ref_one_subfunction.json")
    text = json.dumps(out, indent=1)  # innermost lists on one line, as sfo_reference_run.py
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]",
                  text)
    with open(path, "w") as fh:
        fh.write(text + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
