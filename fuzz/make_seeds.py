#!/usr/bin/env python3
"""Writes the small valid files that seed the fuzz targets' corpora.

Run from anywhere: python3 fuzz/make_seeds.py. Files go to fuzz/seeds/<target>/
beside this script; each is under 4 KB so the corpora stay small in the tree.
"""

import json
import pathlib
import struct

SEEDS = pathlib.Path(__file__).resolve().parent / "seeds"


def idx(dims, values):
    """An unsigned-byte IDX file: magic 0x000008NN, big-endian dims, values."""
    header = bytes([0, 0, 0x08, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)
    return header + bytes(values)


def cifar_record(label, shift):
    """One CIFAR-10 record: a label byte, then 3072 pixel bytes."""
    return bytes([label]) + bytes((p * 3 + shift) % 256 for p in range(3072))


def write(target, name, data):
    assert len(data) < 4096, f"{target}/{name} is {len(data)} bytes"
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def main():
    write("idx", "images-3x4x4", idx([3, 4, 4], [(i * 5) % 256 for i in range(48)]))
    write("idx", "labels-3", idx([3], [7, 0, 9]))
    write("idx", "array-2x3", idx([2, 3], [1, 2, 3, 4, 5, 6]))

    write("cifar10", "record-label-3", cifar_record(3, 0))
    write("cifar10", "record-label-9", cifar_record(9, 128))

    write("csv", "header", b"label,x,y\n0,0.5,1\n2,-3e2,0.125\n1,7,8\n")
    write("csv", "no-header-crlf", b"1,2.5,3\r\n0,4,5\r\n\r\n")
    write("csv", "wide", b"3," + b",".join(str(i / 7).encode() for i in range(40)) + b"\n")

    write("experiment", "grid", json.dumps({
        "name": "grid", "title": "two optimizers", "seeds": [0, 1],
        "base": {"epochs": 2, "hidden": [32, 16], "train-size": 1000, "diverge-factor": 3},
        "groups": [{"name": "sweep", "kind": "lr-sweep", "lrs": [1e-3, 1e-2],
                    "optimizers": ["sgd", {"name": "momentum", "momentum": 0.95,
                                           "lrs": [5e-3]}]}]}).encode())
    write("experiment", "decay", json.dumps({
        "name": "decay", "groups": [
            {"name": "sweep", "kind": "lr-sweep", "lrs": [1e-4, 1e-3], "optimizers": ["adam"]},
            {"name": "decay", "kind": "decay", "best-lr-from": "sweep", "optimizers": ["adam"],
             "schedules": ["constant", "step",
                           {"name": "warm-cosine", "schedule": "cosine", "period": 4,
                            "warmup": 10, "schedule-unit": "epoch"}]}]}).encode())

    header = b"run,step,epoch,wall_time,metric,value\n"
    write("metrics_csv", "two-runs", header + b"".join([
        b"sgd-lr0.1-s0,1,1,,loss,2.3025851\n",
        b"sgd-lr0.1-s0,1,1,,lr,0.1\n",
        b"sgd-lr0.1-s0,2,1,,loss,inf\n",
        b"sgd-lr0.1-s0,2,1,0.75,val_acc,0.8125\n",
        b"adam-lr0.001-s1,1,1,1.5e-3,avg_val_loss,nan\n"]))
    write("metrics_csv", "crlf-header-only", header.replace(b"\n", b"\r\n"))


if __name__ == "__main__":
    main()
