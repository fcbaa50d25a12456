"""Run every benchmark in bench/ (``make bench``).

Each benchmark is a script ``bench/<name>.py`` with a ``main()`` that prints one line
``NAME ratio=R target=T`` — R measured against its own baseline in the same run, because
this machine is shared and absolute timings are noise. Each benchmark builds its own
throw-away SQLite database (or uses ``DATABASE_URL`` when it is set).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "unionvol.settings"
    python = sys.executable
    scripts = sorted(
        p
        for p in HERE.glob("*.py")
        if p.name
        not in {
            "run.py",
            "loadtest.py",
            "explain.py",
            "write_rates.py",
            "page_cost.py",
            "__init__.py",
        }
    )
    if len(sys.argv) > 1:
        scripts = [p for p in scripts if p.stem in sys.argv[1:]]
    failed = 0
    for script in scripts:
        result = subprocess.run([python, str(script)], cwd=ROOT, env=env, check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
