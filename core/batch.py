"""One command over many companies: each profile runs in its own process (its own database), in a
bounded pool, so a consultancy's nightly job uses every core. Beyond one machine each company is
an independent job for an existing scheduler (see README, "Many companies")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass
class CompanyRun:
    profile: str
    exit_code: int
    seconds: float
    output: str
    error: str


def _zhidu() -> list[str]:
    """The same installation's console script, else this interpreter running the CLI module."""
    script = Path(sys.executable).with_name("zhidu")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from zhidu.cli import main; main()"]


def run_many(profiles: Sequence[str], args: Sequence[str], jobs: int, out_dir: str) -> list[CompanyRun]:
    """Run ``zhidu --profile P ARGS -o OUT_DIR/<profile name>.jsonl`` for each profile, ``jobs`` at a time.
    Threads only wait on the child processes; the work is in the processes."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    names = [Path(p).stem for p in profiles]
    if len(set(names)) != len(names):
        raise ValueError("two profiles share a file name; their outputs would collide in " + str(folder))

    def one(profile: str) -> CompanyRun:
        output = folder / f"{Path(profile).stem}.jsonl"
        started = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k not in ("ZHIDU_PROFILE", "ZHIDU_PLUGINS")}
        done = subprocess.run([*_zhidu(), "--profile", profile, *args, "-o", str(output)], capture_output=True, text=True, env=env)
        return CompanyRun(profile, done.returncode, time.monotonic() - started, str(output) if done.returncode == 0 else "", done.stderr.strip())

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, profiles))
