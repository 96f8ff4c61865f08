#!/usr/bin/env python3
"""Prints the issue-4 measures (ratios within one run) from JMH JSON files written by jmh/run.sh.

Usage: python3 jmh/targets.py results/full-jdk25-*.json [more.json ...]
Elements per call as in dev.xent.jmh.Shapes: N = max(1, size / C) rows (or H·W positions) of C logits.
"""
import json
import sys

SIZES = {"256K": 1 << 18, "16M": 1 << 24}


def load(paths):
    res = {}
    for path in paths:
        for r in json.load(open(path)):
            name = r["benchmark"].split("dev.xent.jmh.")[1]
            p = r.get("params", {})
            key = (name, int(p.get("classes", 0)), p.get("size", ""), p.get("layout", ""))
            res[key] = (r["primaryMetric"]["score"],
                        r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score"))
    return res


def elements(c, size, layout):
    return max(1, SIZES[size] // c) * c


def main():
    res = load(sys.argv[1:])

    def ns(b, c, size="256K", layout="last"):
        v = res.get((b, c, size, layout))
        return v[0] if v else None

    def eln(b, c, size="256K", layout="last"):
        t = ns(b, c, size, layout)
        return elements(c, size, layout) / t if t else None

    def fmt(v, d=2):
        return "–" if v is None else f"{v:.{d}f}"

    losses = ["SparseSoftmax", "Softmax", "Sigmoid", "Binary", "Categorical"]
    cs = [2, 10, 100, 1000, 32000, 128000]
    print("| loss | C | vector el/ns | vector/scalar (speed-up) | stable/naive (vector, time) | kernel/floor (time) | kernel/own-exp floor (time) | first/last (time) | 16M/256K (el/ns) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for loss in losses:
        for c in cs:
            v = ns(loss + ".vector", c)
            if v is None:
                continue
            sc = ns(loss + ".scalar", c)
            nv = ns(loss + ".naiveVector", c)
            fl = ns("Floor.expSum", c)
            fo = ns("Floor.expSumFma", c)
            first = ns(loss + ".vector", c, layout="first")
            big = eln(loss + ".vector", c, size="16M")
            print(f"| {loss} | {c} | {fmt(eln(loss + '.vector', c))} | {fmt(sc / v if sc else None, 1)} | "
                  f"{fmt(v / nv if nv else None)} | {fmt(v / fl if fl else None)} | {fmt(v / fo if fo else None)} | "
                  f"{fmt(first / v if first else None)} | {fmt(big / eln(loss + '.vector', c) if big else None)} |")
    print()
    print("Allocation, stable vector kernels (B/op, -prof gc gc.alloc.rate.norm), max over all parameters:",
          fmt(max((v[1] for k, v in res.items() if k[0].endswith(".vector") and not k[0].startswith("tf") and v[1] is not None),
                  default=None), 1))


if __name__ == "__main__":
    main()
