"""The eight scenarios. Each gets a fresh `Scenario` (server, browser, room), drives it,
asserts with `sc.check(...)` or by waiting (which raises `ScenarioFailure` on time-out)
and leaves its figures in `sc.result`.

"Plays" (Window.playing_since): the page's `upstream.framesDecoded` rose between two
snapshot reads at least 0.9 s apart, both taken after the moment given. After an event,
that moment is the event plus SETTLE seconds, so that frames still in a jitter buffer when
a link broke are not taken for recovery; the repair gap itself is measured from every
sample (Scenario.repair_gaps).
"""

from __future__ import annotations

import asyncio
import os
import signal

from harness import Scenario, ScenarioFailure, Window, summary

JOIN_BUDGET = 15.0      # every viewer plays within this many seconds of its window's creation
REPAIR_BUDGET = 30.0    # every remaining viewer plays again within this after an event
SETTLE = 1.5            # see above


# --- shared steps --------------------------------------------------------------------------

async def start_broadcaster(sc: Scenario):
    b = await sc.open_broadcaster()
    await sc.wait_for(lambda: b.last and b.last.get("wsOpen") and b.last.get("live"), 20,
                      "the broadcaster's welcome")
    return b


async def build_tree(sc: Scenario, n: int, queries: list[str] | None = None) -> list[Window]:
    """Broadcaster first, then `n` viewers opened one after another; every viewer must
    play within JOIN_BUDGET seconds of its window's creation."""
    await start_broadcaster(sc)
    windows = []
    for i in range(n):
        q = queries[i] if queries and i < len(queries) else ""
        windows.append(await sc.open_viewer(q))
    latest_deadline = max(w.opened_at for w in windows) + JOIN_BUDGET
    await sc.wait_playing(windows, 0, max(1.0, latest_deadline - sc.now()), "joining")
    record_first_frames(sc, windows)
    late = {w.name: t for w, t in ((w, w.first_frame_at() - w.opened_at) for w in windows) if t > JOIN_BUDGET}
    sc.check(f"every viewer decodes its first frame within {JOIN_BUDGET:g} s of its window's creation",
             not late, late)
    return windows


def record_first_frames(sc: Scenario, windows: list[Window], origin: float | None = None):
    """Time to first frame from window creation (or `origin`), and from the page's first
    `hello` (what the simulator calls start-up delay: join → first frame). DevTools' frame
    timestamps and the driver's time.monotonic() are both CLOCK_MONOTONIC here."""
    ttff, from_hello = {}, {}
    for w in windows:
        t = w.first_frame_at()
        ttff[w.name] = None if t is None else round(t - (origin if origin is not None else w.opened_at), 3)
        hello = w.page.first_sent_ts("hello")
        from_hello[w.name] = None if t is None or hello is None else round(t - max(hello, origin or 0), 3)
    sc.result.setdefault("timeToFirstFrame", {}).update(ttff)
    sc.result["timeToFirstFrameSummary"] = summary(list(sc.result["timeToFirstFrame"].values()))
    sc.result.setdefault("helloToFirstFrame", {}).update(from_hello)
    sc.result["helloToFirstFrameSummary"] = summary(list(sc.result["helloToFirstFrame"].values()))


def parents(tree: dict) -> dict[str, str]:
    return {v["id"]: v["parent"] for v in tree["viewers"]}


def descendants(tree: dict, vid: str) -> set[str]:
    kids = {v["id"]: v.get("children") or [] for v in tree["viewers"]}
    out, todo = set(), list(kids.get(vid, []))
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo += kids.get(c, [])
    return out


def levels(tree: dict, sc: Scenario | None = None) -> list[list[str]]:
    """Ids per depth (window names when `sc` is given)."""
    names = {w.id: w.name for w in sc.viewers} if sc else {}
    by_depth: dict[int, list[str]] = {}
    for v in tree["viewers"]:
        by_depth.setdefault(v["depth"], []).append(names.get(v["id"], v["id"]))
    return [by_depth[d] for d in sorted(by_depth)]


def interior(tree: dict, min_depth: int = 0) -> list[dict]:
    """Viewers with children, deepest subtree first among those at min_depth or deeper."""
    cands = [v for v in tree["viewers"] if v.get("children") and v["depth"] >= min_depth]
    return sorted(cands, key=lambda v: (v["depth"], -len(descendants(tree, v["id"]))))


def replay_log(sc: Scenario, tree: dict, leavers: list[Window], join_order: list[Window] | None = None) -> list[dict]:
    """The joins that built `tree` and the departures of the event, as a
    `branchtree-sim replay` log, with window names as ids: the library's prediction of
    the event is then set beside what the server and the browsers did. Without
    `join_order`, joins go in the tree's level order (which add-branch reproduces)."""
    names = {w.id: w for w in sc.viewers}
    order = join_order or [names[v["id"]] for v in tree["viewers"]]
    api = {v["id"]: v for v in tree["viewers"]}
    log = []
    for w in order:
        op = {"op": "join", "id": w.name}
        a = api.get(w.id, {})
        if a.get("relayable") is False:
            op["relayable"] = False
        elif a.get("capacity") is not None and a.get("capacity") != sc.fanout:
            op["capacity"] = a["capacity"]
        log.append(op)
    log += [{"op": "leave", "id": w.name} for w in leavers]
    sc.result["replayLog"] = log
    sc.result["replayJoins"] = len(order)
    return log


def check_fanout(sc: Scenario, tree: dict, fanout: int):
    over = {v["id"]: v["children"] for v in tree["viewers"] if len(v.get("children") or []) > min(fanout, v.get("capacity", fanout))}
    sc.check("no viewer has more children than its capacity and the fan-out", not over, over)
    first = [v["id"] for v in tree["viewers"] if v["parent"] == tree.get("broadcaster", "broadcaster")]
    sc.check("the broadcaster feeds exactly one first viewer", len(first) == 1, first)


async def after_event(sc: Scenario, remaining: list[Window], event_t: float, what: str,
                      tree_before: dict | None, left_ids: set[str] = frozenset()) -> dict:
    """Everything that must hold after a disruptive event: every remaining viewer plays
    again, the API and the pages agree, and they still play at the end. Returns the
    tree afterwards; fills per-viewer gaps, offers and upstream changes."""
    await sc.wait_playing(remaining, event_t + SETTLE, REPAIR_BUDGET, f"after {what}")
    tree_after = await sc.consistent_tree(what=f"after {what}")
    await sc.wait_playing(remaining, sc.now(), 10, f"still playing after {what}")
    snaps = dict(zip([w.name for w in remaining], await asyncio.gather(*(sc.snapshot(w) for w in remaining))))
    gaps = sc.repair_gaps(remaining, event_t, sc.now())
    pb = parents(tree_before) if tree_before else {}
    pa = parents(tree_after)
    affected = set()
    for lid in left_ids:
        if tree_before:
            affected |= descendants(tree_before, lid)
    per = {}
    for w in remaining:
        s = snaps[w.name] or {}
        c = s.get("counters", {})
        moved = tree_before is not None and pb.get(w.id) != pa.get(w.id)
        if moved:
            affected.add(w.id)
        per[w.name] = {
            "id": w.id, "parentBefore": pb.get(w.id), "parentAfter": pa.get(w.id),
            "affected": None,  # filled below
            "repairGapSeconds": gaps.get(w.name),
            "offersReceived": c.get("offersReceived"), "upstreamChanges": c.get("upstreamChanges"),
            "wsConnects": c.get("wsConnects"), "negotiationNeeded": c.get("negotiationNeeded"),
        }
    for w in remaining:
        per[w.name]["affected"] = w.id in affected
    sc.result["viewers"] = per
    sc.result["repairGapAffected"] = summary([p["repairGapSeconds"] for p in per.values() if p["affected"]])
    sc.result["repairGapUnaffected"] = summary([p["repairGapSeconds"] for p in per.values() if not p["affected"]])
    sc.result["renegotiations"] = sum(p["offersReceived"] or 0 for p in per.values())
    sc.result["reconnections"] = sum(p["upstreamChanges"] or 0 for p in per.values())
    sc.result["interruptedViewers"] = len(affected & {w.id for w in remaining})
    sc.result["levelsAfter"] = levels(tree_after, sc)
    return tree_after


async def ready_tree(sc: Scenario, n: int, queries=None) -> tuple[list[Window], dict]:
    windows = await build_tree(sc, n, queries)
    tree = await sc.consistent_tree(what="after joining")
    check_fanout(sc, tree, sc.fanout)
    sc.result["levelsBefore"] = levels(tree, sc)
    await asyncio.sleep(2)  # a baseline of samples before any event
    return windows, tree


# --- the scenarios -------------------------------------------------------------------------

async def s1_join(sc: Scenario):
    """8 viewers at fan-out 2: all play within 15 s; the API's tree is who really
    receives from whom."""
    windows, tree = await ready_tree(sc, 8)
    ids = {w.id: w.name for w in windows}
    sc.check("the API lists exactly the 8 viewers", set(parents(tree)) == set(ids), sorted(parents(tree)))
    depth_ok = {v["id"]: v["depth"] for v in tree["viewers"]
                if v["depth"] != (0 if v["parent"] == tree["broadcaster"] else
                                  next(p["depth"] for p in tree["viewers"] if p["id"] == v["parent"]) + 1)}
    sc.check("depths follow parents", not depth_ok, depth_ok)
    sc.check("8 viewers at fan-out 2 fill 4 levels (1, 2, 4, 1)",
             [len(l) for l in levels(tree)] == [1, 2, 4, 1], levels(tree))

    async def api_receiving():
        t = await sc.tree()
        return all(v.get("receiving") and v.get("connected", True) for v in t["viewers"])
    await sc.wait_for(api_receiving, 10, "the API to show every viewer receiving")
    sc.result["tree"] = [{k: v.get(k) for k in ("id", "parent", "depth", "children", "phase")} for v in tree["viewers"]]
    sc.result["names"] = ids


async def s2_close_interior(sc: Scenario):
    """An interior viewer closes its tab: its descendants play again; viewers whose link
    was kept get no new offer."""
    windows, tree = await ready_tree(sc, 8)
    x = interior(tree, min_depth=1)[0]
    xw = sc.by_id()[x["id"]]
    sc.result["leaver"] = {"name": xw.name, "id": x["id"], "depth": x["depth"],
                           "descendants": sorted(descendants(tree, x["id"]))}
    replay_log(sc, tree, [xw])
    before = {w.name: (await sc.snapshot(w)) for w in windows}
    await sc.reset_counters()
    t = sc.now()
    sc.event("close-tab", viewer=xw.name, id=x["id"])
    await sc.browser.close_page(xw.page)
    xw.gone_at = t
    remaining = sc.live_viewers()
    await sc.wait_for(lambda: _api_without(sc, {x["id"]}), 15, f"the API to drop {x['id']}")
    sc.result["leaveSeenByServerSeconds"] = round(sc.now() - t, 3)
    after = await after_event(sc, remaining, t, "the tab closed", tree, {x["id"]})
    kept = [w for w in remaining if parents(tree).get(w.id) == parents(after).get(w.id)]
    same_epoch = {w.name for w in kept
                  if ((before[w.name] or {}).get("upstream") or {}).get("epoch") == (w.last.get("upstream") or {}).get("epoch")}
    offers = {w.name: sc.result["viewers"][w.name]["offersReceived"] for w in kept}
    sc.result["keptLinks"] = sorted(w.name for w in kept)
    sc.result["keptLinksSameEpoch"] = sorted(same_epoch)
    sc.check("viewers whose parent did not change received no offer", all(v == 0 for v in offers.values()), offers)


async def _api_without(sc: Scenario, ids: set[str]) -> bool:
    t = await sc.tree()
    return not ids & {v["id"] for v in t["viewers"]}


async def s3_kill_renderer(sc: Scenario):
    """An interior viewer's renderer is SIGKILLed: detected, repaired, all remaining play."""
    windows, tree = await ready_tree(sc, 8)
    x = interior(tree, min_depth=1)[0]
    xw = sc.by_id()[x["id"]]
    pid = await sc.browser.renderer_pid(xw.page)
    sc.result["leaver"] = {"name": xw.name, "id": x["id"], "depth": x["depth"], "rendererPid": pid,
                           "descendants": sorted(descendants(tree, x["id"])),
                           "pidFoundBy": "trace mark (Tracing blink.user_timing + performance.mark)"}
    replay_log(sc, tree, [xw])
    await asyncio.sleep(1)
    await sc.reset_counters()
    t = sc.now()
    os.kill(pid, signal.SIGKILL)  # renderer_pid checked it is a renderer of this browser
    xw.gone_at = t
    sc.event("sigkill-renderer", viewer=xw.name, id=x["id"], pid=pid)
    remaining = sc.live_viewers()
    await sc.wait_for(lambda: _api_without(sc, {x["id"]}), 60, f"the server to notice {x['id']} is gone")
    sc.result["detectionSeconds"] = round(sc.now() - t, 3)
    await sc.wait_for(lambda: xw.page.crashed, 10, "DevTools to report the target crashed")
    await after_event(sc, remaining, t, "the renderer was killed", tree, {x["id"]})


async def s4_three_leave(sc: Scenario):
    """Three interior viewers leave at once: all remaining play."""
    windows, tree = await ready_tree(sc, 8)
    cands = interior(tree, min_depth=1)
    if len(cands) < 3:
        cands = interior(tree, min_depth=0)
    leavers = [sc.by_id()[v["id"]] for v in cands[:3]]
    sc.check("three interior viewers to close", len(leavers) == 3, [w.name for w in leavers])
    sc.result["leavers"] = [{"name": w.name, "id": w.id} for w in leavers]
    replay_log(sc, tree, leavers)
    await sc.reset_counters()
    t = sc.now()
    sc.event("close-3-tabs", viewers=[w.name for w in leavers])
    await asyncio.gather(*(sc.browser.close_page(w.page) for w in leavers))
    for w in leavers:
        w.gone_at = t
    ids = {w.id for w in leavers}
    await sc.wait_for(lambda: _api_without(sc, ids), 15, "the API to drop the three")
    await after_event(sc, sc.live_viewers(), t, "three tabs closed", tree, ids)


async def s5_viewers_first(sc: Scenario):
    """Viewers open before the broadcaster; they play once it arrives."""
    n = 6
    windows = [await sc.open_viewer() for _ in range(n)]
    await sc.wait_joined(windows)
    await asyncio.sleep(2)
    snaps = await asyncio.gather(*(sc.snapshot(w) for w in windows))
    sc.result["beforeBroadcaster"] = {w.name: {"phase": s.get("phase"), "live": s.get("live"),
                                               "parent": s.get("parent")} for w, s in zip(windows, snaps)}
    playing = [w.name for w in windows if w.first_frame_at() is not None]
    sc.check("no viewer decodes anything before the broadcaster is there", not playing, playing)
    sc.check("every page says the broadcast is not live", all(not s.get("live") for s in snaps),
             sc.result["beforeBroadcaster"])
    t = sc.now()
    b = await start_broadcaster(sc)
    sc.event("broadcaster-arrives")
    await sc.wait_playing(windows, t, 30, "after the broadcaster arrived")
    sc.result["timeToFirstFrameFromOwnWindow"] = {w.name: round(w.first_frame_at() - w.opened_at, 3) for w in windows}
    record_first_frames(sc, windows, origin=b.opened_at)
    sc.result["timeToFirstFrameFrom"] = "the broadcaster's window creation"
    tree = await sc.consistent_tree(what="after the broadcaster arrived")
    check_fanout(sc, tree, sc.fanout)
    await sc.wait_playing(windows, sc.now(), 10, "still playing")
    sc.result["levelsAfter"] = levels(tree, sc)


async def s6_broadcaster_reload(sc: Scenario):
    """The broadcaster page reloads: the viewers play again."""
    windows, tree = await ready_tree(sc, 6)
    await sc.reset_counters()
    t = sc.now()
    sc.event("broadcaster-reload")
    await sc.broadcaster.page.send("Page.reload", {"ignoreCache": True})
    await sc.wait_for(lambda: any(s["t"] > t + 0.5 and s["snap"] and s["snap"].get("wsOpen")
                                  for s in sc.broadcaster.samples), 20, "the reloaded broadcaster's welcome")
    sc.result["broadcasterBackSeconds"] = round(next(s["t"] for s in sc.broadcaster.samples
                                                     if s["t"] > t + 0.5 and s["snap"] and s["snap"].get("wsOpen")) - t, 3)
    await after_event(sc, windows, t, "the broadcaster reloaded", tree, set())
    # every viewer under the broadcaster's link is interrupted by a reload
    for p in sc.result["viewers"].values():
        p["affected"] = True
    sc.result["repairGapAffected"] = summary([p["repairGapSeconds"] for p in sc.result["viewers"].values()])
    sc.result["repairGapUnaffected"] = None
    sc.result["interruptedViewers"] = len(windows)


async def s7_server_restart(sc: Scenario):
    """The server restarts (SIGTERM, same port and data dir) with viewers connected; it
    restores its saved tree and every viewer plays again."""
    windows, tree = await ready_tree(sc, 6)
    ids_before = {w.name: w.id for w in windows}
    await sc.reset_counters()
    t = sc.now()
    sc.event("server-sigterm")
    old_pid = sc.server.proc.pid
    code = await sc.server.stop(signal.SIGTERM)
    sc.registry.remove(old_pid)
    sc.result["serverExitCode"] = code
    stopped = sc.now()
    await asyncio.sleep(1.0)
    took = await sc.server.start()
    sc.registry.add(sc.server.proc.pid, "branchtree-relay")
    sc.event("server-started-again", seconds=round(took, 3))
    sc.result["downtimeSeconds"] = round(sc.now() - t, 3)
    sc.result["stopSeconds"] = round(stopped - t, 3)
    pages = [sc.broadcaster, *windows]

    def reconnected(w):
        return any(s["t"] > sc.now() - 1 and s["snap"] and s["snap"].get("wsOpen")
                   and (s["snap"].get("counters") or {}).get("wsConnects", 0) >= 1 for s in w.samples[-5:])
    try:
        await sc.wait_for(lambda: all(reconnected(w) for w in pages), 20,
                          "every page to reconnect to the restarted server")
    except ScenarioFailure as e:
        texts = await sc.page_texts()
        missing = {w.name: (texts.get(w.name) or {}).get("status") for w in pages if not reconnected(w)}
        raise ScenarioFailure(f"{e}; not reconnected, with their status lines: {missing}", e.evidence)
    sc.result["reconnectedSeconds"] = round(sc.now() - t, 3)
    after = await after_event(sc, windows, t, "the server restarted", tree, set())
    ids_after = {w.name: w.id for w in windows}
    sc.result["idsKept"] = ids_before == ids_after
    changed = {n: (sc.result["viewers"][n]["parentBefore"], sc.result["viewers"][n]["parentAfter"])
               for n in sc.result["viewers"] if sc.result["viewers"][n]["parentBefore"] != sc.result["viewers"][n]["parentAfter"]}
    sc.result["parentsChanged"] = changed
    sc.result["treeRestored"] = not changed and sc.result["idsKept"]
    sc.result["offersReceivedPerViewer"] = {n: p["offersReceived"] for n, p in sc.result["viewers"].items()}
    sc.check("the server restored its tree: same ids, same parents",
             sc.result["treeRestored"], {"idsBefore": ids_before, "idsAfter": ids_after, "parentsChanged": changed})


async def s8_relay_capacity(sc: Scenario):
    """A ?relay=0 viewer never gets children; a ?capacity=1 viewer at most one."""
    queries = ["&relay=0", "&capacity=1", "", "", "", "", ""]
    windows, tree = await ready_tree(sc, len(queries), queries)
    norelay, cap1 = windows[0], windows[1]

    def check_limits(tree, when):
        api = {v["id"]: v for v in tree["viewers"]}
        a0, a1 = api[norelay.id], api[cap1.id]
        sc.check(f"{when}: the relay=0 viewer is non-relayable with no children (API)",
                 a0.get("relayable") is False and not a0.get("children"), a0)
        sc.check(f"{when}: the capacity=1 viewer has capacity 1 and at most one child (API)",
                 a1.get("capacity") == 1 and len(a1.get("children") or []) <= 1, a1)
        max0 = max((len(s["snap"].get("downstream", [])) for s in norelay.samples if s["snap"]), default=0)
        max1 = max((len(s["snap"].get("downstream", [])) for s in cap1.samples if s["snap"]), default=0)
        sc.check(f"{when}: pages: relay=0 never had a downstream link, capacity=1 never more than one",
                 max0 == 0 and max1 <= 1, {"relay0MaxDownstream": max0, "capacity1MaxDownstream": max1})
        return {"relay0": {k: a0.get(k) for k in ("id", "parent", "depth", "relayable", "capacity", "children")},
                "capacity1": {k: a1.get(k) for k in ("id", "parent", "depth", "relayable", "capacity", "children")}}

    sc.result["afterJoin"] = check_limits(tree, "after joining")
    # A repair must respect them too: the first relayable interior viewer other than them leaves.
    cands = [v for v in interior(tree, 0) if v["id"] not in (norelay.id, cap1.id)]
    if cands:
        xw = sc.by_id()[cands[0]["id"]]
        sc.result["leaver"] = {"name": xw.name, "id": xw.id}
        replay_log(sc, tree, [xw], join_order=sorted(windows, key=lambda w: w.page.welcome_ts() or 1e18))
        await sc.reset_counters()
        t = sc.now()
        sc.event("close-tab", viewer=xw.name)
        await sc.browser.close_page(xw.page)
        xw.gone_at = t
        await sc.wait_for(lambda: _api_without(sc, {xw.id}), 15, f"the API to drop {xw.id}")
        after = await after_event(sc, sc.live_viewers(), t, "a tab closed", tree, {xw.id})
        sc.result["afterRepair"] = check_limits(after, "after a repair")


SCENARIOS = [
    ("1-join-8", s1_join, {}),
    ("2-close-interior", s2_close_interior, {}),
    ("3-kill-renderer", s3_kill_renderer, {}),
    ("4-three-leave", s4_three_leave, {}),
    ("5-viewers-first", s5_viewers_first, {}),
    ("6-broadcaster-reload", s6_broadcaster_reload, {}),
    ("7-server-restart", s7_server_restart, {}),
    ("8-relay-capacity", s8_relay_capacity, {}),
]
