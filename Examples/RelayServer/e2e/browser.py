"""Launching headless Chromium for real WebRTC on loopback, and the windows in it.

Flags and habits: fake camera, loopback ICE, no
backgrounding, `--remote-debugging-port=0` (the DevTools URL is read from standard
error), a fresh `--user-data-dir`, the browser in its own process group so that the
whole tree of processes can be killed at the end.

Every window is opened in its own browser context (`Target.createBrowserContext`): two
contexts never share a renderer process, so each viewer is a separate renderer that can
be killed alone, and each has its own storage like a separate person would.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import tempfile
import time

from cdp import CDP, Page

CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")

FLAGS = [
    "--headless", "--no-sandbox",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns,SpareRendererForSitePerProcess",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--disable-gpu", "--mute-audio",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--window-size=320,240",
    "--remote-debugging-port=0",
]


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def descendants(pid: int) -> set[int]:
    seen, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for c in _children(p):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Browser:
    def __init__(self, proc: asyncio.subprocess.Process, cdp: CDP, profile: str, log_path: str):
        self.proc = proc
        self.cdp = cdp
        self.profile = profile
        self.log_path = log_path
        self.pages: list[Page] = []
        self.started_at = time.monotonic()

    @classmethod
    async def launch(cls, log_path: str, timeout: float = 30.0) -> "Browser":
        profile = tempfile.mkdtemp(prefix="branchtree-e2e-chromium-")
        log = open(log_path, "wb")
        proc = await asyncio.create_subprocess_exec(
            CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank",
            stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,  # own process group: killpg takes every child with it
        )
        log.close()
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline:
            with open(log_path, "rb") as f:
                m = re.search(rb"DevTools listening on (ws://\S+)", f.read())
            if m:
                url = m.group(1).decode()
                break
            if proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
        if url is None:
            _killpg(proc.pid)
            shutil.rmtree(profile, ignore_errors=True)
            raise RuntimeError(f"chromium did not print its DevTools URL within {timeout}s; see {log_path}")
        cdp = await CDP.connect(url)
        return cls(proc, cdp, profile, log_path)

    async def open(self, url: str, name: str, network: bool = True) -> Page:
        """A new window in a new browser context: attached, Network domain on (to see the
        page's WebSocket frames from the first), then navigated to `url`."""
        created = time.monotonic()
        ctx = (await self.cdp.send("Target.createBrowserContext", {"disposeOnDetach": True}))["browserContextId"]
        tid = (await self.cdp.send("Target.createTarget", {
            "url": "about:blank", "newWindow": True, "browserContextId": ctx,
        }))["targetId"]
        sid = (await self.cdp.send("Target.attachToTarget", {"targetId": tid, "flatten": True}))["sessionId"]
        page = Page(self.cdp, tid, sid, ctx, name)
        page.created_at = created
        await page.send("Runtime.enable")
        await page.send("Page.enable")
        await page.send("Inspector.enable")
        if network:
            await page.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
        await page.send("Page.navigate", {"url": url})
        self.pages.append(page)
        return page

    async def close_page(self, page: Page):
        """Closes the window as a user closing the tab would (the page gets pagehide)."""
        page.closed = True
        await self.cdp.send("Target.closeTarget", {"targetId": page.target_id})

    async def renderer_pid(self, page: Page, timeout: float = 15.0) -> int:
        """The OS pid of the renderer process that runs `page`.

        DevTools does not give a target's pid, so the page is made to leave a mark that
        carries it: a short trace of the `blink.user_timing` category is recorded while
        the page calls `performance.mark(<unique name>)`; the trace event of that mark has
        the pid of the process that made it. The pid is checked to be a descendant of this
        browser with `--type=renderer` on its command line before anyone signals it.
        """
        marker = f"branchtree-e2e-pid-{page.target_id[:8]}-{time.monotonic_ns()}"
        events: list[dict] = []
        done = asyncio.get_running_loop().create_future()

        def on_data(params, sid):
            events.extend(params.get("value", []))

        def on_complete(params, sid):
            if not done.done():
                done.set_result(True)

        self.cdp.on("Tracing.dataCollected", on_data)
        self.cdp.on("Tracing.tracingComplete", on_complete)
        try:
            await self.cdp.send("Tracing.start", {
                "transferMode": "ReportEvents",
                "traceConfig": {"includedCategories": ["blink.user_timing"], "excludedCategories": ["*"]},
            })
            await asyncio.sleep(0.3)
            await page.evaluate(f"performance.mark({marker!r}); true")
            await asyncio.sleep(0.5)
            await self.cdp.send("Tracing.end")
            await asyncio.wait_for(done, timeout)
        finally:
            self.cdp.off("Tracing.dataCollected", on_data)
            self.cdp.off("Tracing.tracingComplete", on_complete)
        pids = {e.get("pid") for e in events if e.get("name") == marker}
        if len(pids) != 1:
            raise RuntimeError(f"renderer pid of {page.name}: trace mark found in pids {pids}")
        pid = pids.pop()
        if pid not in descendants(self.proc.pid) or "--type=renderer" not in cmdline(pid):
            raise RuntimeError(f"renderer pid of {page.name}: {pid} is not a renderer of this browser")
        page.renderer_pid = pid
        return pid

    async def kill_renderer(self, page: Page) -> int:
        pid = page.renderer_pid or await self.renderer_pid(page)
        os.kill(pid, signal.SIGKILL)
        return pid

    def renderer_pids(self) -> set[int]:
        return {p for p in descendants(self.proc.pid) if "--type=renderer" in cmdline(p)}

    async def close(self):
        try:
            await asyncio.wait_for(self.cdp.send("Browser.close"), 5)
        except Exception:
            pass
        await self.cdp.close()
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except asyncio.TimeoutError:
            pass
        _killpg(self.proc.pid)
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except asyncio.TimeoutError:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
            if int(rest[2]) == pgid and rest[0] != "Z":
                out.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return out


def _killpg(pgid: int):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + 5
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
