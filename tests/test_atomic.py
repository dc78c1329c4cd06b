"""Publishing is atomic: a build killed at any moment leaves the old dataset or the new one, both valid."""
from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from depeche.build import build
from depeche.validate import validate_dir

from .conftest import RAW


def fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture()
def old_and_new(unseen_french, tmp_path):
    """An output folder holding the 'old' dataset (unseen articles); the 'new' one is the seeds."""
    output = tmp_path / "tables"
    build(unseen_french, output)
    new = tmp_path / "expected-new"
    build(RAW, new)
    return output, fingerprint(output), fingerprint(new)


def run_build(output: Path) -> subprocess.Popen:
    code = f"from pathlib import Path; from depeche.build import build; build(Path({str(RAW)!r}), Path({str(output)!r}))"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("delay", [0.5, 3.0, 5.0, 6.5, 8.0])
def test_killing_a_real_build_leaves_old_or_new(old_and_new, delay):
    output, old, new = old_and_new
    process = run_build(output)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert fingerprint(output) in {old, new}
    assert validate_dir(output) == []


# Dying inside publish at each step: the harness makes the process exit hard before or after one step.
STEPS = {
    "after writing the tables": ("datapackage", "descriptor", "before"),
    "just before the swap": ("write", "_swap_in", "before"),
    "after the swap, before cleanup": ("write", "_swap_in", "after"),
}


@pytest.mark.parametrize("step", STEPS)
def test_dying_at_each_step_of_publish(old_and_new, step):
    output, old, new = old_and_new
    owner, name, when = STEPS[step]
    code = textwrap.dedent(f"""
        import os
        from pathlib import Path
        import depeche.write
        owner = depeche.write if {owner!r} == "write" else depeche.write.datapackage
        real = getattr(owner, {name!r})
        def die(*args, **kwargs):
            if {when!r} == "after":
                real(*args, **kwargs)
            os._exit(9)
        setattr(owner, {name!r}, die)
        from depeche.build import build
        build(Path({str(RAW)!r}), Path({str(output)!r}))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr[-2000:]
    assert fingerprint(output) == (new if when == "after" else old)
    assert validate_dir(output) == []
    # The next build clears what the dead one left behind and publishes.
    build(RAW, output)
    assert fingerprint(output) == new
    assert [p.name for p in output.parent.iterdir() if p.name.startswith(".depeche-new-")] == []
