"""A small Chrome DevTools Protocol client over one WebSocket (flattened sessions).

One `CDP` object holds the browser-level WebSocket. Commands go out with an `id` and,
for a page, the `sessionId` from `Target.attachToTarget {flatten: true}`; replies are
matched by id, and events are handed to listeners registered per (session, method).
"""

from __future__ import annotations

import asyncio
import functools
import json
import itertools
from collections import defaultdict
from typing import Any, Callable

import websockets


class CDPError(Exception):
    def __init__(self, method: str, error: dict):
        super().__init__(f"{method}: {error.get('message')} ({error.get('code')}) {error.get('data', '')}")
        self.error = error


class CDP:
    def __init__(self, ws):
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str, asyncio.Future]] = {}
        # (sessionId or None, method) -> [callback(params, sessionId)]
        self._listeners: dict[tuple[str | None, str], list[Callable]] = defaultdict(list)
        self._reader = asyncio.create_task(self._read())
        self.closed = asyncio.Event()

    @classmethod
    async def connect(cls, url: str) -> "CDP":
        ws = await websockets.connect(url, max_size=None, ping_interval=None, open_timeout=20)
        return cls(ws)

    async def _read(self):
        try:
            async for raw in self._ws:
                msg = json.loads(raw)
                if "id" in msg:
                    entry = self._pending.pop(msg["id"], None)
                    if entry is None:
                        continue
                    method, fut = entry
                    if fut.done():
                        continue
                    if "error" in msg:
                        fut.set_exception(CDPError(method, msg["error"]))
                    else:
                        fut.set_result(msg.get("result", {}))
                else:
                    sid = msg.get("sessionId")
                    method = msg.get("method")
                    params = msg.get("params", {})
                    for key in ((sid, method), (None, method)) if sid is not None else ((None, method),):
                        for cb in list(self._listeners.get(key, ())):
                            try:
                                cb(params, sid)
                            except Exception as e:  # a listener bug must not kill the reader
                                print(f"cdp: listener for {method} raised {e!r}", flush=True)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed.set()
            for method, fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError(f"DevTools connection closed during {method}"))
            self._pending.clear()

    async def send(self, method: str, params: dict | None = None, session: str | None = None,
                   timeout: float = 30.0) -> dict:
        if self.closed.is_set():
            raise ConnectionError("DevTools connection is closed")
        i = next(self._ids)
        msg: dict[str, Any] = {"id": i, "method": method, "params": params or {}}
        if session is not None:
            msg["sessionId"] = session
        fut = asyncio.get_running_loop().create_future()
        self._pending[i] = (method, fut)
        await self._ws.send(json.dumps(msg))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._pending.pop(i, None)

    def on(self, method: str, callback: Callable[[dict, str | None], None], session: str | None = None):
        self._listeners[(session, method)].append(callback)

    def off(self, method: str, callback: Callable, session: str | None = None):
        try:
            self._listeners[(session, method)].remove(callback)
        except ValueError:
            pass

    async def wait_event(self, method: str, session: str | None = None,
                         predicate: Callable[[dict], bool] = lambda p: True, timeout: float = 30.0) -> dict:
        fut = asyncio.get_running_loop().create_future()

        def cb(params, sid):
            if not fut.done() and predicate(params):
                fut.set_result(params)

        self.on(method, cb, session)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self.off(method, cb, session)

    async def close(self):
        self._reader.cancel()
        try:
            await self._ws.close()
        except Exception:
            pass


class Page:
    """One attached page target: evaluate JavaScript in it and watch its WebSocket frames."""

    def __init__(self, cdp: CDP, target_id: str, session: str, context_id: str | None, name: str):
        self.cdp = cdp
        self.target_id = target_id
        self.session = session
        self.context_id = context_id
        self.name = name
        self.crashed = False
        self.closed = False
        self.created_at: float | None = None   # driver's monotonic clock, at Target.createTarget
        self.renderer_pid: int | None = None
        # WebSocket frames seen by DevTools' Network domain: (browser monotonic ts, "sent"|"recv", payload)
        self.ws_frames: list[tuple[float, str, str]] = []
        self.console: list[str] = []       # console errors and warnings, uncaught exceptions
        cdp.on("Inspector.targetCrashed", self._on_crash, session)
        cdp.on("Runtime.consoleAPICalled", self._on_console, session)
        cdp.on("Runtime.exceptionThrown", self._on_exception, session)
        cdp.on("Network.webSocketFrameSent", self._on_sent, session)
        cdp.on("Network.webSocketFrameReceived", self._on_recv, session)
        # the sockets' life: created, handshake answered, closed, errors
        self.ws_events: list[tuple[float | None, str, str]] = []
        for ev in ("webSocketCreated", "webSocketHandshakeResponseReceived", "webSocketClosed",
                   "webSocketFrameError"):
            cdp.on(f"Network.{ev}", functools.partial(self._on_ws_event, ev), session)

    def _on_crash(self, params, sid):
        self.crashed = True

    def _on_console(self, params, sid):
        if params.get("type") in ("error", "warning", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console.append(f"{params['type']}: {text}"[:500])

    def _on_exception(self, params, sid):
        d = params.get("exceptionDetails", {})
        text = d.get("exception", {}).get("description") or d.get("text", "")
        self.console.append(f"exception: {text}"[:500])

    def _on_ws_event(self, name, params, sid):
        detail = params.get("url") or params.get("errorMessage") or ""
        if name == "webSocketHandshakeResponseReceived":
            detail = str(params.get("response", {}).get("status"))
        self.ws_events.append((params.get("timestamp"), name, f"{params.get('requestId')} {detail}"))

    def _on_sent(self, params, sid):
        self.ws_frames.append((params["timestamp"], "sent", params["response"].get("payloadData", "")))

    def _on_recv(self, params, sid):
        self.ws_frames.append((params["timestamp"], "recv", params["response"].get("payloadData", "")))

    async def send(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        return await self.cdp.send(method, params, session=self.session, timeout=timeout)

    async def evaluate(self, expression: str, timeout: float = 15.0, await_promise: bool = True):
        r = await self.send("Runtime.evaluate", {
            "expression": expression, "awaitPromise": await_promise, "returnByValue": True,
        }, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            raise RuntimeError(f"{self.name}: {expression[:60]!r} threw: {text}")
        return r.get("result", {}).get("value")

    def welcome_ts(self) -> float | None:
        """When the page's first `welcome` arrived (browser clock)."""
        for ts, d, payload in self.ws_frames:
            if d == "recv" and '"welcome"' in payload:
                return ts
        return None

    def first_sent_ts(self, typ: str) -> float | None:
        """When the page first sent a frame of this type (browser clock = CLOCK_MONOTONIC)."""
        needle = f'"type":"{typ}"'
        for ts, d, payload in self.ws_frames:
            if d == "sent" and needle in payload:
                return ts
        return None

    def messages(self):
        """The page's WebSocket frames parsed as JSON: [(ts, dir, obj)]."""
        out = []
        for ts, d, payload in self.ws_frames:
            try:
                out.append((ts, d, json.loads(payload)))
            except Exception:
                pass
        return out
