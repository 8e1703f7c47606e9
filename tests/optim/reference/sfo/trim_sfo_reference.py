#!/usr/bin/env python3
"""Keeps of sfo_reference_run.py's JSON files the fields descent's tests read.

Usage: /usr/bin/python3 trim_sfo_reference.py FULL_DIR [OUT_DIR]
FULL_DIR holds ref_logreg.json, ref_logreg_d200.json, ref_autoencoder.json and
ref_overhead.json as sfo_reference_run.py writes them; the trimmed files go to
OUT_DIR (default: this script's folder). Dropped: the per-seed trajectories of
the default runs, the grids of the first-order baselines (their best settings'
values are kept), the L-BFGS evaluation traces and the run times.
"""
import json
import os
import sys

KEEP_DETERMINISTIC = ("settings", "at_pass", "gap_at_pass", "step_failures", "evals", "n_steps",
                      "step_log_first_3_passes", "perturbed_theta0_1e-12")
KEEP_DEFAULT = ("settings", "seeds", "at_pass", "gap_at_pass", "step_failures_per_run",
                "active_final_per_run", "K_min_K_max_M")


def trim(full):
    out = {k: full[k] for k in ("problem", "meta", "N_subfunctions", "n_params", "passes",
                                "checkpoints", "passes_definition", "reference")}
    out["sfo_default"] = {k: full["sfo_default"][k] for k in KEEP_DEFAULT
                          if k in full["sfo_default"]}
    out["sfo_deterministic"] = {k: full["sfo_deterministic"][k] for k in KEEP_DETERMINISTIC
                                if k in full["sfo_deterministic"]}
    if "lbfgs_full_batch" in full:
        lb = full["lbfgs_full_batch"]
        out["lbfgs_full_batch"] = {"m": lb["m"], "best_so_far_at_pass": lb["best_so_far_at_pass"]}
        for key in ("adam_numpy", "adagrad_authors", "sgd", "sag_authors"):
            b = full[key]
            out[key] = {"hyper": b["hyper"], "grid": b["grid"], "best": b["best"],
                        "best_at_pass": b["best_at_pass"]}
        out["lbfgs_300_evals_best"] = full["lbfgs_300_evals_best"]
    if "passes_to_gap" in full:
        out["passes_to_gap"] = full["passes_to_gap"]
    return out


def write_json(path, obj):
    """As sfo_reference_run.py writes: indented, innermost lists on one line."""
    import re
    text = json.dumps(obj, indent=1)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]",
                  text)
    with open(path, "w") as fh:
        fh.write(text + "\n")


def main():
    full_dir = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    for name in ("ref_logreg.json", "ref_logreg_d200.json", "ref_autoencoder.json"):
        with open(os.path.join(full_dir, name)) as fh:
            write_json(os.path.join(out_dir, name), trim(json.load(fh)))
    with open(os.path.join(full_dir, "ref_overhead.json")) as fh:
        write_json(os.path.join(out_dir, "ref_overhead.json"), json.load(fh))


if __name__ == "__main__":
    main()
