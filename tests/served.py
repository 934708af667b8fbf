"""A real `cinerec serve` process on a loopback port, for the tests that need uvicorn itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """A `cinerec serve` process on a loopback port."""

    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def serve_catalog(
    catalog_dir: Path, log: Path, *options: str, timeout: float = 60
) -> Iterator[Served]:
    """Start `cinerec serve` over `catalog_dir` (plus `options`) and wait until it answers
    `/readyz`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CINEREC_") and k != "PORT"}
    command = [sys.executable, "-m", "cinerec.cli", "serve", "--data", str(catalog_dir)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-format", "json", *options]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
    served = Served("127.0.0.1", port, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(served.base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, f"serve did not become ready in {timeout} s"
            time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
