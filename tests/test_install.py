"""The package as a user installs it: `pip install .` without extras, in a fresh virtualenv.

`requests` was once only a dev extra, so `pillars push` and `serve --store URL` failed with
ModuleNotFoundError for anyone who installed the package alone (issue 18).
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from remote_fixture import oxigraph_server

REPO = Path(__file__).resolve().parent.parent


def _runtime_requirements() -> set[str]:
    requires = importlib.metadata.requires("pillars") or []
    return {r.split(";")[0].split("==")[0].strip().lower() for r in requires if "extra ==" not in r}


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "pillars").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "pillars"}


def test_every_imported_package_is_a_runtime_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    required = _runtime_requirements()
    # werkzeug and jinja2 come with flask; the rest must be named in [project.dependencies].
    with_flask = {"werkzeug", "jinja2", "markupsafe"}
    missing = {
        module
        for module in _third_party_imports()
        if not {d.lower() for d in distributions.get(module, [module])} & (required | with_flask)
    }
    assert missing == set(), f"imported at run time but not a runtime dependency: {missing}"
    assert "requests" in required


@pytest.fixture(scope="module")
def bare_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A virtualenv holding the package and its runtime dependencies only."""
    env = tmp_path_factory.mktemp("bare-venv")
    venv.create(env, with_pip=True)
    done = subprocess.run(
        [str(env / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(REPO)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    yield env


def test_bare_install_pushes_a_dry_run(bare_install: Path) -> None:
    done = subprocess.run(
        [
            str(bare_install / "bin" / "pillars"),
            "push",
            "--dry-run",
            "--root",
            str(REPO),
            "http://127.0.0.1:9/store",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=bare_install,
    )
    assert done.returncode == 0, done.stderr
    assert "graph/iranian-russian-security-convergence" in done.stdout


def test_bare_install_reads_a_remote_store(bare_install: Path) -> None:
    probe = (
        "import sys\n"
        "from pillars.store import StoreSource\n"
        "store = StoreSource(endpoint=sys.argv[1] + '/query').open()\n"
        "print(store.query('ASK { ?s ?p ?o }'))\n"
    )
    with oxigraph_server() as url:
        done = subprocess.run(
            [str(bare_install / "bin" / "python"), "-P", "-c", probe, url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=bare_install,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "<QueryBoolean false>"
