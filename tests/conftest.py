"""Shared fixtures. `live_server`: the real server (`pillars serve`, gunicorn) on 127.0.0.1.

`start_server(...)` starts another one with its own options (a short time limit, a store
folder, ...) for tests that need them; every server is stopped when its test or session ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from pages_fixture import launched_chromium

STARTUP_SECONDS = 30.0
LISTENING = re.compile(r"Listening at: (http://[\d.]+:\d+)")


def pillars_command() -> list[str]:
    """The installed console script (so a broken entry point fails), else the module."""
    script = Path(sys.executable).parent / "pillars"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pillars.cli"]


class ServerProcess:
    """A running `pillars serve`; `url` is its base URL, `log` what it printed so far."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            [*pillars_command(), "serve", "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so stop() can signal gunicorn and its workers together
        )
        self.log: list[str] = []
        self.url = ""
        self._listening = threading.Event()
        self.drainer = threading.Thread(target=self._drain, daemon=True)
        self.drainer.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:  # read all the time, so the pipe never fills up
            self.log.append(line)
            m = LISTENING.search(line)
            if m and not self.url:
                self.url = m.group(1)
                self._listening.set()
        self._listening.set()

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> str:
        deadline = time.monotonic() + seconds
        self._listening.wait(seconds)
        while time.monotonic() < deadline and self.proc.poll() is None and self.url:
            try:
                r = requests.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=5)
                if r.status_code == 200:
                    return self.url
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("pillars serve did not start:\n" + "".join(self.log[-30:]))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


@contextmanager
def start_server(*args: str) -> Iterator[ServerProcess]:
    server = ServerProcess(list(args))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Base URL (no trailing slash) of `pillars serve` with default settings."""
    with start_server() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium under Playwright for one test module (pages_fixture.launched_chromium: skip
    without it, fail with CI=true). Per module, since Playwright's sync API cannot nest and
    some suites launch their own."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled corpus built into an on-disk store by `pillars load --store`."""
    path = tmp_path_factory.mktemp("store") / "db"
    done = subprocess.run([*pillars_command(), "load", "--store", str(path)], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("loaded ")
    yield path


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's very last line names every check it skipped and why (a count per reason), so
    a run on a machine without Chromium, a JDK or Graphviz cannot pass quietly."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not hasattr(reporter, "stats"):
        return
    reasons: dict[str, int] = {}
    for report in reporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        reporter.write_line("skipped: nothing")
        return
    listed = "; ".join(f"{n} x {why}" for why, n in sorted(reasons.items()))
    reporter.write_line(f"skipped {sum(reasons.values())} test(s): {listed}", yellow=True)
