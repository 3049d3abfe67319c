"""Starting and stopping `branchtree-relay`, and reading its HTTP API."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: str, port: int, data_dir: str, log_path: str, fanout: int = 2,
                 repair_timeout: float | None = None, join_retry: float | None = None,
                 resume_grace: float | None = None):
        self.binary = binary
        self.port = port
        self.data_dir = data_dir
        self.log_path = log_path
        self.fanout = fanout
        self.repair_timeout = repair_timeout
        self.join_retry = join_retry
        self.resume_grace = resume_grace
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 30.0) -> float:
        """Starts the server and waits for its `listening` line; returns the seconds it took."""
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--fanout", str(self.fanout),
                "--data-dir", self.data_dir]
        for opt, v in (("--repair-timeout", self.repair_timeout), ("--join-retry", self.join_retry),
                       ("--resume-grace", self.resume_grace)):
            if v is not None:
                args += [opt, f"{v:g}"]
        t0 = time.monotonic()
        log = open(self.log_path, "ab")
        log.write(f"\n=== start {self.starts + 1}: {self.binary} {' '.join(args)}\n".encode())
        log.flush()
        offset = log.tell()
        self.proc = await asyncio.create_subprocess_exec(
            self.binary, *args, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)
        log.close()
        self.starts += 1
        needle = f"branchtree-relay listening on http://127.0.0.1:{self.port}".encode()
        while time.monotonic() - t0 < timeout:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                if needle in f.read():
                    return time.monotonic() - t0
            if self.proc.returncode is not None:
                raise RuntimeError(f"branchtree-relay exited with {self.proc.returncode} before listening; "
                                   f"see {self.log_path}: {self.tail()}")
            await asyncio.sleep(0.05)
        raise RuntimeError(f"branchtree-relay did not print its listening line within {timeout}s: {self.tail()}")

    def tail(self, n: int = 1500) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Sends `sig` and waits for the exit (SIGKILL to the group after `timeout`); returns the exit code."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.returncode is None:
            try:
                os.kill(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except asyncio.TimeoutError:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            await asyncio.wait_for(proc.wait(), 5)
        except asyncio.TimeoutError:
            pass
        return proc.returncode

    def _get(self, path: str, timeout: float = 5.0):
        with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
            return json.loads(r.read())

    async def get(self, path: str, timeout: float = 5.0):
        return await asyncio.to_thread(self._get, path, timeout)

    async def tree(self, room: str) -> dict:
        return await self.get(f"/api/rooms/{room}/tree")

    async def stats(self, room: str) -> dict:
        return await self.get(f"/api/rooms/{room}/stats")
