"""Many companies, one machine: `zhidu each` running one decision command for K companies (each its own
profile and SQLite database), one process at a time (-j 1) and in a pool of two (-j 2, both cores
here), against the same K `zhidu` processes started one after another by hand (the baseline a
consultancy's nightly shell loop is).

    python benchmarks/bench_each.py                     # 4 companies of 50,000 customers
    python benchmarks/bench_each.py --companies 8 --n 20000

Each company's customers are imported first (not timed), and each way starts from a fresh copy of
the imported databases. Prints wall seconds of each way, the
speed-up of -j 2 over -j 1 and over the loop, and checks every company's decisions were written.
Nothing asserts a time: read the speed-up only when the machine is otherwise idle (both cores free).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_core import generate

ZHIDU = str(Path(sys.executable).with_name("zhidu"))
AS_OF = "2026-11-20"


def company(directory: Path, name: str, n: int, seed: int) -> None:
    """A company profile with its own database holding n imported customers."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run([ZHIDU, "init", name, "--plugins", "petrochem", "--dir", str(directory)], check=True, capture_output=True)
    profile = directory / f"{name}.toml"
    customers = directory / "customers.csv"
    generate(customers, n, seed=seed)
    subprocess.run([ZHIDU, "--profile", str(profile), "import", "customer", str(customers)], check=True, capture_output=True)
    customers.unlink()


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


def lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=4)
    parser.add_argument("--n", type=int, default=50_000, help="customers per company")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(args.companies):
            company(root / "imported" / f"c{i}", f"company{i}", args.n, seed=7 + i)
        command = ["classify", "--as-of", AS_OF]

        def fresh(way: str) -> list[Path]:
            """The imported companies copied afresh, so each way starts from the same empty log."""
            shutil.copytree(root / "imported", root / way)
            return [root / way / f"c{i}" / f"company{i}.toml" for i in range(args.companies)]

        loop = 0.0
        for profile in fresh("loop"):
            loop += timed([ZHIDU, "--profile", str(profile), *command, "-o", str(profile.with_suffix(".jsonl"))])
        results = {}
        for jobs in (1, 2):
            out = root / f"out-j{jobs}"
            profiles = fresh(f"j{jobs}")
            argv = [ZHIDU, "each", *[a for p in profiles for a in ("--profile", str(p))], "-j", str(jobs), "--out-dir", str(out), *command]
            results[jobs] = timed(argv)
            written = [lines(out / f"company{i}.jsonl") for i in range(args.companies)]
            if written != [args.n] * args.companies:
                raise SystemExit(f"-j {jobs}: decisions written per company {written}, expected {args.n} each")
        total = args.companies * args.n
        print(f"\n{args.companies} companies x {args.n:,} customers ({total:,} decisions), classify over each company's database")
        print(f"{'one process after another (shell loop)':<44}{loop:>8.1f} s{total / loop:>12,.0f} decisions/s")
        for jobs, seconds in results.items():
            print(f"{'zhidu each -j ' + str(jobs):<44}{seconds:>8.1f} s{total / seconds:>12,.0f} decisions/s")
        print(f"speed-up of -j 2: {results[1] / results[2]:.2f}x over -j 1, {loop / results[2]:.2f}x over the loop "
              f"(2 cores: at most 2x)")


if __name__ == "__main__":
    main()
