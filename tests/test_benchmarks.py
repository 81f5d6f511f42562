"""The benchmark command runs: a short run that proves it, not its numbers."""

import re
import subprocess
import sys

from conftest import require
from support import TEMPLATE


def test_quick_benchmark_writes_a_row_for_every_goal(tmp_path):
    require("wrk", "redis-server")
    output = tmp_path / "results.md"

    done = subprocess.run(
        [
            sys.executable,
            str(TEMPLATE / "benchmarks" / "run.py"),
            "--quick",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    rows = re.findall(
        r"^\| (\d) \|.*\| (met|\*\*missed\*\*|see the result|not measured) \|$",
        output.read_text(),
        re.M,
    )
    assert [number for number, _ in rows] == list("1234567")
    assert "non-2xx answers from the service: 0." in output.read_text()
    assert "not measured (no redis-server)" not in output.read_text()
