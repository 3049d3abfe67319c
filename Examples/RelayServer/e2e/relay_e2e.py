#!/usr/bin/env python3
"""The end-to-end browser suite of branchtree-relay: real Chromium windows, real WebRTC on
loopback, the real server. See README.md; `run.sh` is the one command that runs it.

    relay_e2e.py [--only 1,3] [--server-bin PATH] [--report PATH] [--no-sim]

Exit status: 0 when every scenario passed (a scenario may fail once and pass on its
retry), 1 when one failed twice (or the environment self-test failed), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from browser import Browser  # noqa: E402
from harness import Registry, Scenario, ScenarioFailure, dump, summary  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

RELAY_SERVER = os.path.dirname(HERE)
REPO_ROOT = os.path.dirname(os.path.dirname(RELAY_SERVER))


def log(msg: str):
    print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- the environment self-test -------------------------------------------------------------

async def selftest(workdir: str, registry: Registry) -> dict:
    """Proves the fake camera, loopback WebRTC, getStats' framesDecoded and the renderer
    kill work in this browser, on a static page, before the server is involved."""
    handler = functools.partial(_QuietHandler, directory=HERE)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/selftest_page.html"
    t0 = time.monotonic()
    b = await Browser.launch(os.path.join(workdir, "chromium-selftest.log"))
    registry.add(b.proc.pid, "chromium")
    res = {"browserStartSeconds": round(time.monotonic() - t0, 3)}
    try:
        pages = [await b.open(url, f"pair{i}", network=False) for i in range(2)]
        firsts = {}
        deadline = time.monotonic() + 20
        while len(firsts) < len(pages) and time.monotonic() < deadline:
            for p in pages:
                if p.name in firsts:
                    continue
                try:
                    if await p.evaluate("window.selftest") and (await p.evaluate("framesDecoded()") or 0) > 0:
                        firsts[p.name] = round(time.monotonic() - p.created_at, 3)
                except Exception:
                    pass
            await asyncio.sleep(0.2)
        if len(firsts) < len(pages):
            raise RuntimeError(f"loopback pairs decoded nothing within 20 s: {firsts}")
        res["timeToFirstFrame"] = firsts
        a = [await p.evaluate("framesDecoded()") for p in pages]
        await asyncio.sleep(1)
        c = [await p.evaluate("framesDecoded()") for p in pages]
        if not all(y > x for x, y in zip(a, c)):
            raise RuntimeError(f"framesDecoded did not rise: {a} -> {c}")
        res["framesPerSecond"] = [y - x for x, y in zip(a, c)]
        pid = await b.renderer_pid(pages[0])
        res["rendererPid"] = pid
        res["rendererPids"] = sorted(b.renderer_pids())
        os.kill(pid, signal.SIGKILL)
        t = time.monotonic()
        while not pages[0].crashed and time.monotonic() - t < 10:
            await asyncio.sleep(0.1)
        if not pages[0].crashed:
            raise RuntimeError("killing the renderer found by its trace mark did not crash its target")
        x = await pages[1].evaluate("framesDecoded()")
        await asyncio.sleep(1)
        y = await pages[1].evaluate("framesDecoded()")
        if not y > x:
            raise RuntimeError("the other window stopped decoding when one renderer was killed")
        res["killOneRendererOnly"] = True
        res["ok"] = True
    finally:
        await b.close()
        registry.remove(b.proc.pid)
        httpd.shutdown()
    return res


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


# --- running scenarios -----------------------------------------------------------------------

async def run_attempt(name, fn, opts, attempt, args, registry) -> tuple[dict, dict]:
    workdir = os.path.join(args.reports, name, f"attempt-{attempt}")
    shutil.rmtree(workdir, ignore_errors=True)   # nothing of an earlier run mixes in
    os.makedirs(workdir, exist_ok=True)
    sc = Scenario(name, attempt, args.server_bin, workdir, registry, **opts)
    rec = {"attempt": attempt, "room": sc.room, "workdir": os.path.relpath(workdir, args.reports)}
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(_start_and_run(sc, fn), args.attempt_timeout)
        rec["status"] = "pass"
    except ScenarioFailure as e:
        rec["status"] = "fail"
        rec["error"] = str(e)
        rec["evidence"] = e.evidence
    except asyncio.TimeoutError:
        rec["status"] = "fail"
        rec["error"] = f"the attempt took longer than its budget of {args.attempt_timeout:g} s"
        rec["evidence"] = sc.evidence()
    except asyncio.CancelledError:
        rec["status"] = "interrupted"
        raise
    except Exception as e:
        rec["status"] = "fail"
        rec["error"] = f"{type(e).__name__}: {e}"
        rec["traceback"] = traceback.format_exc()
        rec["evidence"] = sc.evidence()
    finally:
        if rec.get("status") == "fail" and sc.browser:
            try:
                rec.setdefault("evidence", {})["pageTexts"] = await asyncio.wait_for(sc.page_texts(), 20)
            except Exception as e:
                rec.setdefault("evidence", {})["pageTexts"] = repr(e)
        rec["seconds"] = round(time.monotonic() - t0, 1)
        rec["checks"] = sc.checks
        rec["result"] = sc.result
        rec["events"] = sc.events
        try:
            wire = sc.wire_metrics()
        except Exception as e:
            wire = {"error": repr(e)}
        rec["wire"] = {k: summary(v) if isinstance(v, list) else v for k, v in wire.items()}
        try:
            dump(os.path.join(workdir, "detail.json"), {"record": rec, "timelines": sc.timelines()})
        except Exception as e:
            log(f"could not write the detail file: {e!r}")
        try:
            await asyncio.shield(sc.close())
        except Exception as e:
            log(f"clean-up of {name}: {e!r}")
    return rec, wire


async def _start_and_run(sc: Scenario, fn):
    await sc.start()
    await fn(sc)


# --- the simulator ---------------------------------------------------------------------------

def sim_command(args) -> list[str]:
    if args.sim:
        return shlex.split(args.sim)
    built = os.path.join(REPO_ROOT, ".build", "release", "branchtree-sim")
    if os.path.exists(built):
        return [built]
    return ["swift", "run", "-c", "release", "--package-path", REPO_ROOT, "branchtree-sim"]


def rng(values, lo_q=0.1, hi_q=0.9, floor=0.001):
    from harness import pct
    v = [x for x in values if x is not None]
    if not v:
        return None
    lo, hi = max(floor, pct(v, lo_q)), max(floor, pct(v, hi_q))
    return f"{lo:.3f}...{max(hi, lo):.3f}"


def run_sim(cmd: list[str], argv: list[str], stdin: str | None = None) -> dict:
    full = cmd + argv
    t = time.monotonic()
    p = subprocess.run(full, input=stdin, capture_output=True, text=True, timeout=300)
    out = {"command": " ".join(shlex.quote(a) for a in full), "exitCode": p.returncode,
           "wallSeconds": round(time.monotonic() - t, 2)}
    if p.returncode != 0:
        out["stderr"] = p.stderr[-2000:]
        return out
    try:
        if "--each" in argv:
            out["lines"] = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
            out["report"] = out["lines"][-1]
        else:
            out["report"] = json.loads(p.stdout)
    except Exception as e:
        out["stdout"] = p.stdout[-2000:]
        out["parseError"] = repr(e)
    return out


def simulate(args, wire_all: dict, scen: dict) -> dict:
    """Runs the simulator for the same audience and fan-out with the latencies measured
    here, and lines its predictions up with the measurements."""
    cmd = sim_command(args)
    one_way = [x / 2 for x in wire_all.get("helloWelcomeRtt", [])]
    setup = wire_all.get("placedToUpstreamConnected", []) or wire_all.get("openToLinkConnected", [])
    sig, con = rng(one_way), rng(setup)
    if not sig or not con:
        return {"skipped": "no latencies measured (no scenario got that far)"}
    common = ["run", "--audience", "8", "--fanout", "2", "--policy", "skyway", "--seed", "1",
              "--duration", "1800", "--sessions", "exponential:120", "--connection-failure-rate", "0",
              "--signalling-latency", sig, "--connection-setup", con, "--format", "json", "--reproducible"]
    out = {"inputs": {"signallingLatency": sig, "signallingLatencyFrom": "half the hello→welcome round trip seen by the pages (p10...p90)",
                      "connectionSetup": con, "connectionSetupFrom": "a viewer's `placed` to its `link up connected` (p10...p90)"}}
    clean = run_sim(cmd, common + ["--abrupt-share", "0"])
    out["cleanDepartures"] = clean
    det = _first(scen, "3-kill-renderer", "detectionSeconds")
    if det is not None:
        d = max(0.001, det)
        out["inputs"]["detectionDelay"] = f"{d:.3f}"
        out["abruptDepartures"] = run_sim(cmd, common + ["--abrupt-share", "1", "--detection-delay", f"{d:.3f}"])
    joins = "".join(json.dumps({"op": "join", "id": f"v{i}"}) + "\n" for i in range(1, 7))
    out["departuresReplayed"] = predict_departures(cmd, scen)
    out["restart"] = run_sim(cmd, ["replay", "--fanout", "2", "--each", "-"],
                             stdin=joins + json.dumps({"op": "restart", "strategy": "restore"}) + "\n")
    out["restart"].pop("lines", None)
    return out


def predict_departures(cmd, scen: dict) -> dict:
    """`branchtree-sim replay` of each departure scenario's own joins and leaves: what the
    library says the event should do, beside what the server and the browsers did.

    Leaves that happened at once reached the server in some order; every order is
    replayed and the one that ends in the server's tree is reported (else the first)."""
    import itertools
    out = {}
    argv = ["replay", "--fanout", "2", "--root-id", "broadcaster", "--each", "-"]
    for name, entry in scen.items():
        att = next((a for a in reversed(entry.get("attempts", [])) if a.get("status") == "pass"), None) \
            or (entry.get("attempts") or [None])[-1]
        if not att or not att.get("result", {}).get("replayLog"):
            continue
        r = att["result"]
        joins = [op for op in r["replayLog"] if op["op"] == "join"]
        leaves_ops = [op for op in r["replayLog"] if op["op"] == "leave"]
        names = {v["id"]: n for n, v in r.get("viewers", {}).items()}
        names["broadcaster"] = "broadcaster"
        measured_parents = {n: names.get(v.get("parentAfter"), v.get("parentAfter"))
                            for n, v in r.get("viewers", {}).items()}
        pred, first = None, None
        for order in itertools.permutations(leaves_ops):
            log = "".join(json.dumps(op) + "\n" for op in joins + list(order))
            run = run_sim(cmd, argv, stdin=log)
            lines = run.pop("lines", [])
            run.pop("report", None)
            if run.get("exitCode") != 0 or not lines:
                first = first or {**run}
                continue
            leaves = [x for x in lines if x.get("op") == "leave"]
            before = {n["id"]: n["parent"] for n in lines[len(joins) - 1]["nodes"]}
            final = {n["id"]: n["parent"] for n in leaves[-1]["nodes"]}
            interrupted, created, moves = set(), 0, 0
            for x in leaves:
                ch = x["change"]
                interrupted |= set(ch.get("reconnecting", [])) | set(ch.get("keepingLink", []))
                created += len(ch.get("linksCreated", []))
                moves += len(ch.get("moves", []))
            left = {x["id"] for x in leaves}
            cand = {"command": run["command"], "leaveOrder": [op["id"] for op in order],
                    "interruptedViewers": sorted(interrupted - left),
                    "linksCreated": created,
                    "netNewLinks": sum(1 for v, par in final.items() if before.get(v) != par),
                    "moves": moves, "parentsAfter": final,
                    "sameTreeAsServer": measured_parents == final if measured_parents else None}
            first = first or cand
            if cand["sameTreeAsServer"]:
                pred = cand
                break
        pred = pred or first or {}
        pred["measuredParentsAfter"] = measured_parents
        pred["measuredInterrupted"] = sorted(n for n, v in r.get("viewers", {}).items() if v.get("affected"))
        pred["measuredNewUpstreamLinks"] = sum(v.get("offersReceived") or 0 for v in r.get("viewers", {}).values())
        out[name] = pred
    return out


def _first(scen, name, key):
    for a in scen.get(name, {}).get("attempts", []):
        if a.get("status") == "pass" and a.get("result", {}).get(key) is not None:
            return a["result"][key]
    return None


def _measured(scen, name, key):
    for a in reversed(scen.get(name, {}).get("attempts", [])):
        if a.get("status") == "pass":
            return a.get("result", {}).get(key)
    return None


def side_by_side(scen: dict, sim: dict, wire: dict) -> list[dict]:
    rows = []

    def simv(run, *path):
        r = sim.get(run, {}).get("report")
        for p in path:
            if not isinstance(r, dict):
                return None
            r = r.get(p)
        return r

    ttff = []
    for n in ("1-join-8",):
        ttff += [v for v in (_measured(scen, n, "timeToFirstFrame") or {}).values() if v is not None]
    from_hello = [v for v in (_measured(scen, "1-join-8", "helloToFirstFrame") or {}).values() if v is not None]
    rows.append({"figure": "start-up delay, s (page's hello → first decoded frame, scenario 1)",
                 "measured": summary(from_hello), "note": "measured to the 0.3 s sampling",
                 "simulated": simv("cleanDepartures", "perViewer", "startupDelaySeconds")})
    rows.append({"figure": "time to first frame from window creation, s (scenario 1; includes page load)",
                 "measured": summary(ttff), "simulated": None})
    for n, run, note in (("2-close-interior", "cleanDepartures", "one clean departure (tab closed)"),
                         ("4-three-leave", "cleanDepartures", "three clean departures at once"),
                         ("3-kill-renderer", "abruptDepartures", "one abrupt departure (renderer SIGKILL)")):
        rows.append({"figure": f"repair gap of interrupted viewers, s — {note}",
                     "measured": _measured(scen, n, "repairGapAffected"),
                     "simulated": simv(run, "perDeparture", "repairLatencySeconds")})
        iv = _measured(scen, n, "interruptedViewers")
        rows.append({"figure": f"interrupted viewers per departure — {note}",
                     "measured": None if iv is None else (iv / 3 if n == "4-three-leave" else iv),
                     "simulated": simv(run, "perDeparture", "interruptedViewers")})
        rc = _measured(scen, n, "renegotiations")
        rows.append({"figure": f"new upstream connections (offers received) per departure — {note}",
                     "measured": None if rc is None else (rc / 3 if n == "4-three-leave" else rc),
                     "simulated": simv(run, "perDeparture", "reconnections")})
    for n, p in sim.get("departuresReplayed", {}).items():
        if "linksCreated" not in p:
            continue
        rows.append({"figure": f"{n}: interrupted viewers (replay of this very tree)",
                     "measured": len(p["measuredInterrupted"]), "simulated": len(p["interruptedViewers"]),
                     "measuredWho": p["measuredInterrupted"], "simulatedWho": p["interruptedViewers"]})
        rows.append({"figure": f"{n}: new upstream links: offers received vs the replay's net new links",
                     "measured": p["measuredNewUpstreamLinks"], "simulated": p["netNewLinks"],
                     "note": f"the replay creates {p['linksCreated']} links leave by leave"})
        rows.append({"figure": f"{n}: tree after the event equals the library's (replay)",
                     "measured": p["sameTreeAsServer"], "simulated": True})
    det = _measured(scen, "3-kill-renderer", "detectionSeconds")
    rows.append({"figure": "abrupt departure noticed after, s", "measured": det,
                 "simulated": sim.get("inputs", {}).get("detectionDelay"),
                 "note": "the simulator takes it as an input (its default is 5...30 s, ICE consent); measured here it is the WebSocket closing"})
    restart = sim.get("restart", {}).get("report", {})
    offers = _measured(scen, "7-server-restart", "offersReceivedPerViewer")
    rows.append({"figure": "new peer connections caused by a restart with restore (6 viewers)",
                 "measured": None if offers is None else sum(v or 0 for v in offers.values()),
                 "simulated": (restart.get("counts") or {}).get("linksCreated"),
                 "note": "the simulator restarts the broadcaster, so its own link is new; here only the server restarts"})
    rows.append({"figure": "signalling latency one way, s (hello→welcome ÷ 2)",
                 "measured": summary([x / 2 for x in wire.get("helloWelcomeRtt", [])]),
                 "simulated": sim.get("inputs", {}).get("signallingLatency"), "note": "input to the simulator"})
    rows.append({"figure": "peer connection set-up, s (placed → link up connected)",
                 "measured": summary(wire.get("placedToUpstreamConnected", [])),
                 "simulated": sim.get("inputs", {}).get("connectionSetup"), "note": "input to the simulator"})
    return rows


# --- report ------------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, dict) and "p50" in v:
        return f"p50 {v['p50']:.2f} p90 {v.get('p90', v.get('p99', 0)):.2f} max {v['max']:.2f}" + (f" (n={v['n']})" if "n" in v else "")
    if isinstance(v, float):
        return f"{v:.3f}"
    return "—" if v is None else str(v)


def print_summary(report: dict):
    print()
    print("BranchTree relay end-to-end suite")
    print("=" * 72)
    env = report.get("environment", {})
    if report.get("interrupted"):
        print("INTERRUPTED")
    print(f"environment self-test: {'ok' if env.get('ok') else 'FAILED ' + str(env.get('error'))}")
    for name, s in report["scenarios"].items():
        atts = s["attempts"]
        line = f"{s['status'].upper():5} {name:24} attempts {len(atts)}"
        last = atts[-1] if atts else {}
        r = last.get("result", {})
        bits = []
        if r.get("timeToFirstFrameSummary"):
            bits.append(f"first frame {fmt(r['timeToFirstFrameSummary'])}")
        if r.get("helloToFirstFrameSummary"):
            bits.append(f"hello→frame p50 {r['helloToFirstFrameSummary']['p50']:.2f}")
        if r.get("repairGapAffected"):
            bits.append(f"gap(interrupted) {fmt(r['repairGapAffected'])}")
        if "renegotiations" in r:
            bits.append(f"offers {r['renegotiations']}")
        if "detectionSeconds" in r:
            bits.append(f"detected after {r['detectionSeconds']} s")
        print(line + ("  " + "; ".join(bits) if bits else ""))
        for a in atts:
            if a.get("status") != "pass":
                print(f"      attempt {a['attempt']}: {a.get('error', a.get('status'))}"[:400])
    w = report.get("measuredLatencies", {})
    print("-" * 72)
    for k, v in w.items():
        print(f"{k:28} {fmt(v)}")
    rows = report.get("simulatorComparison", {}).get("sideBySide", [])
    if rows:
        print("-" * 72)
        print(f"{'figure':70} | measured | simulated")
        for r in rows:
            print(f"{r['figure'][:70]:70} | {fmt(r['measured'])} | {fmt(r['simulated'])}")
    print("-" * 72)
    passed = sum(1 for s in report["scenarios"].values() if s["status"] == "pass")
    failed = sum(1 for s in report["scenarios"].values() if s["status"] != "pass")
    print(f"report: {report['reportPath']}  ({report['seconds']:.0f} s)")
    print(f"{passed} passed, {failed} failed")


async def main_async(args) -> int:
    registry = Registry(args.pidfile)
    os.makedirs(args.reports, exist_ok=True)
    t0 = time.monotonic()
    report = {"suite": "branchtree-relay e2e", "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "serverBinary": args.server_bin, "scenarios": {}, "reportPath": args.report}
    status = 0
    try:
        log("environment self-test (static page, loopback RTCPeerConnection pair)")
        try:
            report["environment"] = await selftest(args.reports, registry)
        except Exception as e:
            report["environment"] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            log(f"self-test failed: {e}")
            status = 1
            return status
        if args.selftest_only:
            return 0
        if not os.path.exists(args.server_bin):
            report["error"] = f"no server binary at {args.server_bin}"
            log(report["error"])
            status = 1
            return status
        wire_all: dict[str, list] = {}
        wanted = [s.strip() for s in args.only.split(",")] if args.only else None
        for name, fn, opts in SCENARIOS:
            if wanted and not any(name.split("-")[0] == w or name == w for w in wanted):
                continue
            entry = {"status": "unfinished", "attempts": [], "doc": (fn.__doc__ or "").strip()}
            report["scenarios"][name] = entry
            for attempt in (1, 2):
                left = args.budget - (time.monotonic() - t0)
                if left < args.attempt_timeout * 0.6:
                    entry["attempts"].append({"attempt": attempt, "status": "skipped",
                                              "error": f"the suite's time budget ({args.budget:g} s) is spent"})
                    log(f"{name}: attempt {attempt} skipped, suite budget spent")
                    break
                log(f"{name}: attempt {attempt}")
                rec, wire = await run_attempt(name, fn, opts, attempt, args, registry)
                for k, v in wire.items():
                    if isinstance(v, list):
                        wire_all.setdefault(k, []).extend(v)
                entry["attempts"].append(rec)
                log(f"{name}: attempt {attempt} {rec['status']} in {rec['seconds']} s"
                    + (f": {rec.get('error')}"[:600] if rec["status"] != "pass" else ""))
                if rec["status"] == "pass":
                    entry["status"] = "pass"
                    break
            if entry["status"] != "pass":
                entry["status"] = "fail"
                status = 1
        report["measuredLatencies"] = {k: summary(v) for k, v in wire_all.items()}
        report["measuredLatenciesNotes"] = {
            "helloWelcomeRtt": "a page's hello sent → its welcome received (DevTools WebSocket frame timestamps): a round trip page → server → page",
            "openToLinkConnected": "a parent's `open` received → its `link down connected` sent: peer-connection set-up seen by the parent",
            "placedToUpstreamConnected": "a viewer's `placed` received → its `link up connected` sent (track arrived, connection connected)",
            "offerRelay": "an offer sent by the parent page → received by the child page: two signalling hops through the server",
        }
        if not args.no_sim:
            log("simulator: same audience and fan-out with the measured latencies")
            try:
                sim = await asyncio.to_thread(simulate, args, wire_all, report["scenarios"])
            except Exception as e:
                sim = {"error": f"{type(e).__name__}: {e}"}
            sim["sideBySide"] = side_by_side(report["scenarios"], sim, wire_all)
            report["simulatorComparison"] = sim
        return status
    except asyncio.CancelledError:
        report["interrupted"] = True
        status = 130
        return status
    finally:
        report["seconds"] = round(time.monotonic() - t0, 1)
        report["passed"] = status == 0
        dump(args.report, report)
        print_summary(report)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--server-bin", default=os.path.join(RELAY_SERVER, ".build", "release", "branchtree-relay"))
    p.add_argument("--only", help="comma-separated scenario numbers or names (default: all)")
    p.add_argument("--reports", default=os.path.join(HERE, "reports"))
    p.add_argument("--report", help="the JSON report (default: REPORTS/report.json)")
    p.add_argument("--sim", help="the simulator command (default: the built branchtree-sim, else swift run)")
    p.add_argument("--no-sim", action="store_true")
    p.add_argument("--selftest-only", action="store_true")
    p.add_argument("--budget", type=float, default=1200, help="seconds for all scenarios (retries are skipped past it)")
    p.add_argument("--attempt-timeout", type=float, default=150)
    p.add_argument("--pidfile", default=os.environ.get("BRANCHTREE_E2E_PIDFILE"))
    args = p.parse_args()
    args.report = args.report or os.path.join(args.reports, "report.json")

    async def runner():
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for s in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(s, task.cancel)
        try:
            return await main_async(args)
        except asyncio.CancelledError:
            return 130

    sys.exit(asyncio.run(runner()))


if __name__ == "__main__":
    main()
