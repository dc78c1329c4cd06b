"""The built wheel works from another folder, in a fresh environment, without spaCy."""
from __future__ import annotations

import subprocess
import sys
import venv

from .conftest import REPO


def run(*args, cwd=None):
    return subprocess.run(list(map(str, args)), cwd=cwd, capture_output=True, text=True, check=True)


def test_wheel_installs_and_serves_the_data(tmp_path):
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO)
    wheel = next(wheels.glob("depeche-*.whl"))
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = run(python, "-c", "import sys, depeche; e = depeche.load('events'); "
              "print(e.height > 0, 'spacy' in sys.modules, depeche.load('articles').height)", cwd=elsewhere)
    assert out.stdout.split() == ["True", "False", "5"]
    out = run(env / "bin" / "depeche", "query", "SELECT count(*) AS n FROM articles", "--format", "csv", cwd=elsewhere)
    assert out.stdout.splitlines() == ["n", "5"]
    out = run(env / "bin" / "depeche", "validate", cwd=elsewhere)
    assert "valid" in out.stdout
