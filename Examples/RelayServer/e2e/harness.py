"""What every scenario needs: a fresh server, a fresh browser, windows in one fresh room,
a sampler that reads every viewer's snapshot a few times a second, and the measures
taken from those samples and from the pages' WebSocket frames.

Clocks: the driver's `time.monotonic()` for samples and events; the DevTools timestamps
of WebSocket frames are the browser's base::TimeTicks. On Linux both are CLOCK_MONOTONIC
(checked here: a page's handshake time falls between the driver's readings around it), so
a frame's time and a sample's time can be subtracted (e.g. hello → first frame).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
import shutil

from browser import Browser
from cdp import Page
from server import Server, free_port

SAMPLE_INTERVAL = 0.3      # seconds between two snapshot reads of one viewer
PLAY_WINDOW = 0.9          # "plays": framesDecoded rose between two reads at least this far apart

SNAPSHOT_JS = "window.branchtree ? window.branchtree.snapshot() : null"


class ScenarioFailure(AssertionError):
    """A scenario's assertion failed; `evidence` goes into the report."""

    def __init__(self, message: str, evidence: dict | None = None):
        super().__init__(message)
        self.evidence = evidence or {}


def pct(values, q):
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"n": len(values), "min": round(min(values), 3), "p50": round(pct(values, 0.5), 3),
            "p90": round(pct(values, 0.9), 3), "max": round(max(values), 3),
            "mean": round(statistics.fmean(values), 3)}


class Window:
    """A broadcaster or viewer window and what the sampler saw in it."""

    def __init__(self, page: Page, name: str, role: str, url: str):
        self.page = page
        self.name = name
        self.role = role
        self.url = url
        self.samples: list[dict] = []   # {t, snap}
        self.gone_at: float | None = None
        self.sample_errors = 0
        self.last_sample_error: str | None = None
        self.task: asyncio.Task | None = None

    @property
    def opened_at(self) -> float:
        return self.page.created_at

    @property
    def alive(self) -> bool:
        return self.gone_at is None and not self.page.crashed and not self.page.closed

    @property
    def last(self) -> dict | None:
        for s in reversed(self.samples):
            if s["snap"] is not None:
                return s["snap"]
        return None

    @property
    def id(self) -> str | None:
        for s in reversed(self.samples):
            if s["snap"] and s["snap"].get("id"):
                return s["snap"]["id"]
        return None

    # --- frames --------------------------------------------------------------------

    @staticmethod
    def _key(snap):
        up = snap and snap.get("upstream")
        if not up:
            return None
        return (up.get("peer"), up.get("epoch"))

    @staticmethod
    def _fd(snap):
        up = snap and snap.get("upstream")
        return up.get("framesDecoded") if up else None

    def progress_times(self) -> list[float]:
        """Sample times at which new frames had been decoded since the previous sample
        (of the same upstream link; a new link's first non-zero count counts too)."""
        out = []
        prev = None
        for s in self.samples:
            snap = s["snap"]
            if snap is None:
                continue
            fd, key = self._fd(snap), self._key(snap)
            if fd:
                if prev is not None and prev[0] == key:
                    if fd > prev[1]:
                        out.append(s["t"])
                elif prev is None or prev[0] != key:
                    # first reading of this link: frames arrived if the count is non-zero and
                    # (for the very first sample of the window) it is not the only evidence
                    out.append(s["t"])
            prev = (key, fd or 0)
        return out

    def first_frame_at(self) -> float | None:
        for s in self.samples:
            if self._fd(s["snap"]):
                return s["t"]
        return None

    def playing_since(self, since: float) -> float | None:
        """The time of the first new frame after `since`, once framesDecoded has also
        risen between two reads of one link at least PLAY_WINDOW apart, all after `since`;
        None while that is not so."""
        readings = [(s["t"], self._key(s["snap"]), self._fd(s["snap"]))
                    for s in self.samples if s["t"] >= since and s["snap"] is not None]
        confirmed = False
        for i, (t1, k1, f1) in enumerate(readings):
            if f1 is None:
                continue
            for t2, k2, f2 in readings[i + 1:]:
                if k2 != k1 or f2 is None:
                    break
                if t2 - t1 >= PLAY_WINDOW:
                    if f2 > f1:
                        confirmed = True
                    break
            if confirmed:
                break
        if not confirmed:
            return None
        after = [t for t in self.progress_times() if t >= since]
        return after[0] if after else None


class Scenario:
    """One attempt of one scenario: a server, a browser, a room and its windows."""

    def __init__(self, name: str, attempt: int, server_bin: str, workdir: str, registry, fanout: int = 2,
                 server_opts: dict | None = None):
        self.name = name
        self.attempt = attempt
        self.server_bin = server_bin
        self.workdir = workdir
        self.registry = registry            # records started process groups for run.sh's clean-up
        self.fanout = fanout
        self.server_opts = server_opts or {}
        self.room = f"{name.split('-')[0]}-a{attempt}-{secrets.token_hex(3)}"
        self.server: Server | None = None
        self.browser: Browser | None = None
        self.broadcaster: Window | None = None
        self.viewers: list[Window] = []
        self.events: list[dict] = []        # {t, what, ...}
        self.t0 = time.monotonic()
        self.data_dir = tempfile.mkdtemp(prefix="branchtree-e2e-data-")
        self.result: dict = {}              # the scenario's own figures
        self.checks: list[dict] = []        # {check, ok, detail}
        self.api_polls: list[dict] = []

    # --- life cycle -----------------------------------------------------------------

    async def start(self):
        port = free_port()
        self.server = Server(self.server_bin, port, self.data_dir,
                             os.path.join(self.workdir, "server.log"), fanout=self.fanout, **self.server_opts)
        took = await self.server.start()
        self.registry.add(self.server.proc.pid, "branchtree-relay")
        self.event("server-started", seconds=round(took, 3), port=port)
        self.browser = await Browser.launch(os.path.join(self.workdir, "chromium.log"))
        self.registry.add(self.browser.proc.pid, "chromium")

    async def close(self):
        for w in [self.broadcaster, *self.viewers]:
            if w and w.task:
                w.task.cancel()
        if self.browser:
            try:
                await self.browser.close()
            finally:
                self.registry.remove(self.browser.proc.pid)
        if self.server and self.server.proc:
            pid = self.server.proc.pid
            await self.server.stop()
            self.registry.remove(pid)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def now(self) -> float:
        return time.monotonic()

    def rel(self, t: float | None) -> float | None:
        return None if t is None else round(t - self.t0, 3)

    def event(self, what: str, **kw):
        e = {"t": self.rel(self.now()), "what": what, **kw}
        self.events.append(e)
        return e

    def check(self, name: str, ok: bool, detail=None):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            raise ScenarioFailure(f"{name}: {detail}", self.evidence())

    # --- windows ------------------------------------------------------------------------

    async def open_broadcaster(self) -> Window:
        url = f"{self.server.base}/broadcast/{self.room}?ice=loopback"
        page = await self.browser.open(url, "broadcaster")
        self.broadcaster = Window(page, "broadcaster", "broadcaster", url)
        self.broadcaster.task = asyncio.create_task(self._sample(self.broadcaster))
        self.event("broadcaster-opened")
        return self.broadcaster

    async def open_viewer(self, query: str = "") -> Window:
        n = len(self.viewers) + 1
        url = f"{self.server.base}/watch/{self.room}?ice=loopback{query}"
        page = await self.browser.open(url, f"v{n}")
        w = Window(page, f"v{n}", "viewer", url)
        self.viewers.append(w)
        w.task = asyncio.create_task(self._sample(w))
        self.event("viewer-opened", viewer=w.name, query=query)
        return w

    async def _sample(self, w: Window):
        while w.alive:
            t_start = self.now()
            try:
                snap = await w.page.evaluate(SNAPSHOT_JS, timeout=5)
                w.samples.append({"t": self.now(), "snap": snap})
            except asyncio.CancelledError:
                raise
            except Exception as e:  # page not there yet, navigating, crashed: keep going
                w.sample_errors += 1
                w.last_sample_error = str(e)[:300]
            await asyncio.sleep(max(0.05, SAMPLE_INTERVAL - (self.now() - t_start)))

    def live_viewers(self) -> list[Window]:
        return [w for w in self.viewers if w.alive]

    def by_id(self) -> dict[str, Window]:
        return {w.id: w for w in self.viewers if w.id}

    async def snapshot(self, w: Window) -> dict | None:
        return await w.page.evaluate(SNAPSHOT_JS, timeout=10)

    async def reset_counters(self):
        await asyncio.gather(*(w.page.evaluate("window.branchtree.resetCounters(), true")
                               for w in self.live_viewers() + ([self.broadcaster] if self.broadcaster else [])))

    # --- waiting ------------------------------------------------------------------------

    async def wait_for(self, predicate, timeout: float, what: str, interval: float = 0.25):
        deadline = self.now() + timeout
        while True:
            r = predicate()
            if asyncio.iscoroutine(r):
                r = await r
            if r:
                return r
            if self.now() > deadline:
                raise ScenarioFailure(f"timed out after {timeout:g} s waiting for {what}", self.evidence())
            await asyncio.sleep(interval)

    async def wait_joined(self, windows: list[Window], timeout: float = 20):
        await self.wait_for(lambda: all(w.last and w.last.get("wsOpen") and w.id for w in windows),
                            timeout, "the pages' welcome")

    async def wait_playing(self, windows: list[Window], since: float, timeout: float, what: str) -> dict[str, float]:
        """Waits until every window decodes new frames after `since`; returns name -> time of
        its first new frame after `since`."""
        deadline = self.now() + timeout
        while True:
            got = {w.name: w.playing_since(since) for w in windows}
            if all(v is not None for v in got.values()):
                return got
            if self.now() > deadline:
                missing = [n for n, v in got.items() if v is None]
                raise ScenarioFailure(
                    f"{what}: {', '.join(missing)} decoded no new frames within {timeout:g} s", self.evidence())
            await asyncio.sleep(0.25)

    async def tree(self) -> dict:
        t = await self.server.tree(self.room)
        self.api_polls.append({"t": self.rel(self.now()), "tree": t})
        return t

    async def consistent_tree(self, timeout: float = 15, what: str = "tree consistency") -> dict:
        """Waits until the API's tree and the pages agree: the same viewers, each page's
        upstream.peer is its API parent and that link is connected. Returns the tree."""
        last_problem = None
        deadline = self.now() + timeout
        while True:
            problems = []
            try:
                tree = await self.tree()
                snaps = await asyncio.gather(*(self.snapshot(w) for w in self.live_viewers()))
            except Exception as e:
                tree, snaps = None, []
                problems.append(f"reading: {e}")
            if tree is not None:
                api = {v["id"]: v for v in tree.get("viewers", [])}
                pages = {s["id"]: s for s in snaps if s and s.get("id")}
                if set(api) != set(pages):
                    problems.append(f"API viewers {sorted(api)} != page ids {sorted(pages)}")
                for vid, s in pages.items():
                    a = api.get(vid)
                    up = s.get("upstream") or {}
                    if a is None:
                        continue
                    if up.get("peer") != a.get("parent"):
                        problems.append(f"{vid}: API parent {a.get('parent')} but page upstream {up.get('peer')}")
                    elif up.get("connectionState") != "connected":
                        problems.append(f"{vid}: upstream {up.get('peer')} is {up.get('connectionState')}")
                    kids_api = sorted(a.get("children") or [])
                    kids_page = sorted(d["peer"] for d in s.get("downstream", [])
                                       if d.get("connectionState") not in ("closed", "failed"))
                    if kids_api != kids_page:
                        problems.append(f"{vid}: API children {kids_api} but page downstream {kids_page}")
            if not problems:
                return tree
            last_problem = problems
            if self.now() > deadline:
                raise ScenarioFailure(f"{what}: API tree and pages disagree after {timeout:g} s: "
                                      + "; ".join(last_problem), self.evidence())
            await asyncio.sleep(0.5)

    # --- measures -----------------------------------------------------------------------

    def repair_gaps(self, windows: list[Window], event_t: float, until: float) -> dict[str, float | None]:
        """Per window: the longest stretch without new frames that contains or follows the
        event — from the last frame seen at or before it to the first frame after it."""
        out = {}
        for w in windows:
            p = w.progress_times()
            before = [t for t in p if t <= event_t]
            after = [t for t in p if event_t < t <= until]
            if not before or not after:
                out[w.name] = None
                continue
            seq = [before[-1]] + after
            out[w.name] = round(max(b - a for a, b in zip(seq, seq[1:])), 3)
        return out

    def wire_metrics(self) -> dict:
        """Latencies read from the pages' WebSocket frames (DevTools Network events)."""
        windows = [w for w in [self.broadcaster, *self.viewers] if w]
        hello_rtt, pc_parent, pc_child, relay = [], [], [], []
        sent_offers = {}   # (from id, to id, epoch) -> ts
        for w in windows:
            msgs = w.page.messages()
            pending_hello = None
            opens, placeds = {}, {}
            for ts, d, m in msgs:
                typ = m.get("type")
                if d == "sent" and typ == "hello":
                    pending_hello = ts
                elif d == "recv" and typ == "welcome" and pending_hello is not None:
                    hello_rtt.append(ts - pending_hello)
                    pending_hello = None
                    my_id = m.get("id")
                    w._wire_id = my_id
                elif d == "recv" and typ == "open":
                    opens[(m.get("peer"), m.get("epoch"))] = ts
                elif d == "recv" and typ == "placed" and not m.get("kept"):
                    placeds.setdefault((m.get("parent"), m.get("epoch")), ts)
                elif d == "sent" and typ == "link" and m.get("state") == "connected":
                    key = (m.get("peer"), m.get("epoch"))
                    if m.get("direction") == "down" and key in opens:
                        pc_parent.append(ts - opens.pop(key))
                    elif m.get("direction") == "up" and key in placeds:
                        pc_child.append(ts - placeds.pop(key))
                elif d == "sent" and typ == "signal" and (m.get("description") or {}).get("type") == "offer":
                    sent_offers[(getattr(w, "_wire_id", None), m.get("to"), m.get("epoch"))] = ts
        for w in windows:
            for ts, d, m in w.page.messages():
                if d == "recv" and m.get("type") == "signal" and (m.get("description") or {}).get("type") == "offer":
                    k = (m.get("from"), getattr(w, "_wire_id", None), m.get("epoch"))
                    if k in sent_offers:
                        relay.append(ts - sent_offers[k])
        return {"helloWelcomeRtt": hello_rtt, "openToLinkConnected": pc_parent,
                "placedToUpstreamConnected": pc_child, "offerRelay": relay}

    # --- evidence -----------------------------------------------------------------------

    def evidence(self) -> dict:
        ev = {"room": self.room, "events": self.events[-30:], "pages": {}}
        for w in [self.broadcaster, *self.viewers]:
            if not w:
                continue
            ev["pages"][w.name] = {
                "id": w.id, "alive": w.alive, "crashed": w.page.crashed, "lastSnapshot": w.last,
                "sampleErrors": w.sample_errors, "lastSampleError": w.last_sample_error,
                "consoleErrors": w.page.console[-10:],
                "webSockets": w.page.ws_events[-8:],
                "lastFrames": [(round(ts, 3), d, p[:300]) for ts, d, p in w.page.ws_frames
                               if '"status"' not in p][-12:],
            }
        if self.api_polls:
            ev["lastApiTree"] = self.api_polls[-1]
        if self.server:
            ev["serverLogTail"] = self.server.tail(2000)
        return ev

    async def page_texts(self) -> dict:
        """Each open page's status line and its own log (what a person would see)."""
        js = ("({status: (document.getElementById('status') || {}).textContent || null,"
              " log: [...document.querySelectorAll('#log li')].map(li => li.textContent)})")
        out = {}
        for w in [self.broadcaster, *self.viewers]:
            if w and w.alive:
                try:
                    out[w.name] = await w.page.evaluate(js, timeout=5)
                except Exception as e:
                    out[w.name] = {"error": str(e)[:200]}
        return out

    def timelines(self) -> dict:
        """Everything sampled, for the per-attempt detail file."""
        out = {}
        for w in [self.broadcaster, *self.viewers]:
            if not w:
                continue
            out[w.name] = {
                "id": w.id, "url": w.url, "openedAt": self.rel(w.opened_at),
                "samples": [{"t": self.rel(s["t"]), "fd": Window._fd(s["snap"]), "up": Window._key(s["snap"]),
                             "phase": (s["snap"] or {}).get("phase"), "ws": (s["snap"] or {}).get("wsOpen"),
                             "down": [(d["peer"], d["connectionState"]) for d in (s["snap"] or {}).get("downstream", [])],
                             "counters": (s["snap"] or {}).get("counters")}
                            for s in w.samples],
                "wsFrames": [(round(ts, 4), d, p) for ts, d, p in w.page.ws_frames if '"status"' not in p],
                "console": w.page.console,
                "webSockets": w.page.ws_events,
            }
        return {"events": self.events, "windows": out, "api": self.api_polls}


class Registry:
    """Process groups this run started, written to a file that run.sh reads on exit to kill
    any that survived (only ever these pids, checked against their command line)."""

    def __init__(self, path: str | None):
        self.path = path
        self.groups: dict[int, str] = {}

    def _write(self):
        if not self.path:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            for pid, what in self.groups.items():
                f.write(f"{pid} {what}\n")
        os.replace(tmp, self.path)

    def add(self, pid: int, what: str):
        self.groups[pid] = what
        self._write()

    def remove(self, pid: int):
        self.groups.pop(pid, None)
        self._write()


def dump(path: str, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, default=str)
