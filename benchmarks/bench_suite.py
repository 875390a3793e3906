"""Test-suite time: the README's test command (``scripts/test.sh``, every test on every
core) timed as a whole, with the machine's load before and after (the goal, 2.5 minutes
on 2 cores, is for a machine doing nothing else).

    .venv/bin/python benchmarks/bench_suite.py                # scripts/test.sh
    .venv/bin/python benchmarks/bench_suite.py -- -n 0        # one process, for comparison

Prints wall time, the CPU time of the whole process tree, the pass/fail line, the 15
slowest tests, the 15 files that took longest (their tests' set-up, call and tear-down
summed) and the tests that failed; then, from ``benchmarks/suite_cpu.py`` (a pytest plugin
loaded for the run), CPU time rather than wall time: the 15 files and 15 tests that took
most (the test process and the children it waited for), and per worker its collection, its
tests' CPU and when its last test ended (two workers ending far apart waste a core).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (after --)")
    args = ap.parse_args()
    load_before = os.getloadavg()
    cpu_dir = tempfile.mkdtemp(prefix="bench-suite-cpu-")
    env = dict(os.environ, SUITE_CPU_DIR=cpu_dir, PYTHONPATH=os.pathsep.join(
        [str(ROOT / "benchmarks"), *filter(None, [os.environ.get("PYTHONPATH")])]))
    t0 = time.perf_counter()
    out = subprocess.run(["bash", "scripts/test.sh", "-q", "-p", "no:cacheprovider", "-p", "suite_cpu",
                          "--durations=0", *args.pytest_args], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = out.stdout.splitlines()
    summary = next((ln for ln in reversed(lines) if re.search(r"\d+ (passed|failed)", ln)), "")
    start = next((i for i, ln in enumerate(lines) if "slowest" in ln), len(lines))
    durations = [m for ln in lines[start + 1:] if (m := re.match(r"([\d.]+)s\s+\w+\s+(\S+?)::", ln))]
    per_file: dict[str, float] = {}
    for m in durations:
        per_file[m.group(2)] = per_file.get(m.group(2), 0.0) + float(m.group(1))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    print(json.dumps({
        "command": " ".join(["scripts/test.sh", *args.pytest_args]), "commit": commit,
        "cores": os.cpu_count(), "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "result": summary.strip("= "), "slowest": lines[start + 1:start + 16],
        "slowest_files": [f"{seconds:.1f} s {name}" for name, seconds in
                          sorted(per_file.items(), key=lambda kv: -kv[1])[:15]],
        "failed": [ln for ln in lines if ln.startswith(("FAILED ", "ERROR "))],
        **cpu_summary(Path(cpu_dir), t0_epoch=time.time() - wall),
    }, indent=2, ensure_ascii=False))


def cpu_summary(folder: Path, t0_epoch: float) -> dict:
    """CPU per file, per test and per worker from ``benchmarks/suite_cpu.py``'s records."""
    tests, workers = [], {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if "test" in record:
                tests.append(record)
            worker = workers.setdefault(path.stem, {"tests": 0, "tests_cpu_s": 0.0})
            if "collected" in record:
                worker["collection_cpu_s"] = round(record["own"], 1)
            elif "finished" in record:  # the controller's children are the workers
                worker["own_cpu_s"] = round(record["own"], 1)
                worker["children_cpu_s"] = round(record["children"], 1)
            else:
                worker["tests"] += 1
                worker["tests_cpu_s"] += record["own"] + record["children"]
                worker["last_test_ended_s"] = round(record["end"] - t0_epoch, 1)
    for worker in workers.values():
        worker["tests_cpu_s"] = round(worker["tests_cpu_s"], 1)
    per_file: dict[str, float] = {}
    for record in tests:
        name = record["test"].split("::")[0]
        per_file[name] = per_file.get(name, 0.0) + record["own"] + record["children"]
    slowest = sorted(tests, key=lambda r: -(r["own"] + r["children"]))[:15]
    return {
        "cpu_tests_s": round(sum(r["own"] + r["children"] for r in tests), 1),
        "cpu_workers": workers,
        "cpu_slowest_files": [f"{seconds:.1f} CPU-s {name}" for name, seconds in
                              sorted(per_file.items(), key=lambda kv: -kv[1])[:15]],
        "cpu_slowest": [f"{r['own'] + r['children']:.1f} CPU-s ({r['children']:.1f} in children) "
                        f"{r['test']}" for r in slowest],
    }


if __name__ == "__main__":
    main()
