"""Puts the scale run's sizes side by side (bench/scale.sh): refresh milliseconds of every view
and the readers' p99 idle and during refreshes from <orders>-refresh.txt, and the uncached p99 of
every report and the cached mix's p99 from <orders>.json, with each row's growth per 10x orders
where two sizes are at least 3x apart, and its last step (the largest size over the next largest,
10M to 30M in the default run: x1.0 is flat)."""
import json
import math
import pathlib
import sys

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "bench/scale")
sizes = sorted(int(p.name.split("-")[0]) for p in folder.glob("*-refresh.txt"))
refresh, reads = {}, {}
for size in sizes:
    for line in (folder / f"{size}-refresh.txt").read_text().split("\n"):
        parts = line.split()
        if len(parts) == 6 and parts[0] == "view":
            refresh.setdefault(parts[1], {})[size] = (float(parts[3]), int(parts[5]))
        # bench/scale-readers.sh: the three reads together, idle and while refreshes run.
        if len(parts) == 11 and parts[0] == "readers" and parts[2] == "all":
            reads.setdefault(f"readers {parts[1]} p99", {})[size] = float(parts[8])
    result = folder / f"{size}.json"
    if result.exists():
        for row in json.loads(result.read_text())["rows"]:
            if row["measurement"] == "cache off":
                reads.setdefault(row["report"] + " uncached p99", {})[size] = row["client"]["p99Ms"]
            if row["measurement"] == "mix (cache on)":
                reads.setdefault("mix (cache on) p99", {})[size] = row["client"]["p99Ms"]


def growth(values):
    """Exponent k in cost ~ orders^k between the smallest and largest size measured."""
    known = sorted((size, value) for size, value in values.items() if value and value > 0)
    if len(known) < 2 or known[-1][0] < 3 * known[0][0]:
        return "n/a"
    (s0, v0), (s1, v1) = known[0], known[-1]
    return f"x{(v1 / v0) ** (1 / math.log10(s1 / s0)):.1f}/10x"


def last_step(values):
    """The largest size's value over the next largest's: flat is x1.0 whatever the sizes' ratio."""
    known = sorted((size, value) for size, value in values.items() if value and value > 0)
    if len(known) < 2:
        return "n/a"
    return f"x{known[-1][1] / known[-2][1]:.1f}"


last = "last step" if len(sizes) < 2 else f"{sizes[-2] // 1000000}M->{sizes[-1] // 1000000}M"
header = f"{'ms (rows)':<38}" + "".join(f"{size:>24,}" for size in sizes) + f"{'growth':>12}{last:>11}"
print(header)
for view, values in sorted(refresh.items()):
    cells = "".join(f"{'%.0f (%d)' % values[s] if s in values else '-':>24}" for s in sizes)
    times = {s: v[0] for s, v in values.items()}
    print(f"refresh {view:<30}{cells}{growth(times):>12}{last_step(times):>11}")
for label, values in sorted(reads.items()):
    cells = "".join(f"{values.get(s, '-'):>24}" for s in sizes)
    print(f"{label:<38}{cells}{growth(values):>12}{last_step(values):>11}")
