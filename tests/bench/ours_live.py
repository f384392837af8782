"""Our node for the socket workloads: a plan of signed-in sockets for the generator, and
the drivers that stand in for what the product cannot be asked to do over a socket yet."""
from __future__ import annotations

import base64
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.harness import ROOT, Server
from tests.bench.ours import REDIS_PREFIX, REDIS_URL, database_url, our_server, prepare

GPS_NOTE = ("fan-out half only: fixes published on each customer's room channel by a driver as "
            "server.live.publish does; no courier `gps` socket event yet")
EVENTS_NOTE = ("order events recorded in the outbox and published by a driver as the use cases "
               "do (server.events.record + publish)")


def _user_id(token: str) -> str:
    """The token's subject, read without checking it: the node checks it."""
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["sub"]


def _write(name: str, data) -> str:
    path = Path(tempfile.mkdtemp(prefix="bench-plan-")) / name
    path.write_text(json.dumps(data))
    return str(path)


def live_server(args, workload: str, sockets: int) -> Server:
    """Our node with a plan of signed-in sockets for the generator (accounts made first)."""
    core, client_core = args.server_core, args.client_core
    if workload == "idle":
        made = prepare(_idle_accounts(sockets))
        plan = [{"token": t["token"], "role": t["role"], "order_id": None}
                for tokens in made.values() for t in tokens]
        server = our_server(core)
        server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan})]
        return server
    if workload == "fanout" and getattr(args, "gps_path", "socket") == "driver":
        return _fanout_driver(core, sockets, client_core)
    if workload == "fanout":
        return _fanout(core, sockets)
    if workload == "storm":
        return _storm(core, sockets, client_core)
    raise ValueError(f"unknown workload {workload!r}")


# Idle sockets are people the other workloads made already, one socket each, in this order.
IDLE_POOLS = (("customer", 10000), ("w2:customer", 5000), ("w2:courier", 5000))


def _idle_accounts(sockets: int) -> dict[str, int]:
    wanted, left = {}, sockets
    for key, available in IDLE_POOLS:
        wanted[key] = min(left, available)
        left -= wanted[key]
    wanted["customer"] += left  # beyond every pool: more customers
    return {key: count for key, count in wanted.items() if count}


def prepare_pairs(count: int) -> list[dict]:
    from tests.bench.deliveries import Pairs
    from tests.bench.ours import DATABASE, last_seqs, with_setup_node

    async def make(url: str) -> list[dict]:
        pairs = await Pairs(url, DATABASE).make(count)
        seqs = await last_seqs([pair["order_id"] for pair in pairs])
        return [{**pair, "after_seq": seqs.get(pair["order_id"], 0)} for pair in pairs]

    return with_setup_node(make, f"{count} courier-customer pairs")


def _fanout(core: int, sockets: int) -> Server:
    """Couriers send `gps`; each fix goes through the checks to their order's room."""
    plan = []
    for pair in prepare_pairs(sockets // 2):
        plan += [{"token": pair["customer"], "role": "customer", "order_id": pair["order_id"],
                  "after_seq": pair["after_seq"]},
                 {"token": pair["courier"], "role": "courier", "order_id": pair["order_id"],
                  "lat": pair["lat"], "lng": pair["lng"]}]
    server = our_server(core)
    server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan}), "--gps-format", "cesi",
                           "--recv-event", "courier.location"]
    server.note = ("the product's path: courier `gps` event, fix checks, live state in Redis, "
                   "`courier.location` to order:<id> through its Redis channel")
    return server


def _fanout_driver(core: int, sockets: int, client_core: int) -> Server:
    pairs = sockets // 2
    made = prepare({"customer": pairs, "courier": pairs})
    plan, rooms = [], []
    for customer, courier in zip(made["customer"], made["courier"]):
        where = f"user:{_user_id(customer['token'])}"
        plan += [{"token": customer["token"], "role": "customer", "order_id": where},
                 {"token": courier["token"], "role": "courier", "order_id": where}]
        rooms.append(where)
    server = our_server(core)
    server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan}), "--external-gps"]
    server.note = GPS_NOTE
    _attach_driver(server, ["tests.bench.gps_driver", "--rooms", _write("rooms.json", rooms),
                            "--redis-url", REDIS_URL, "--prefix", REDIS_PREFIX],
                   client_core, start="ready", stop="end", idle_reply={"sent": 0})
    return server


def _storm(core: int, sockets: int, client_core: int) -> Server:
    made = prepare({"customer": sockets}, orders=True)
    plan = [{"token": c["token"], "role": "customer", "order_id": c["order_id"],
             "after_seq": c["after_seq"]} for c in made["customer"]]
    server = our_server(core)
    server.loadgen_args = ["--plan", _write("plan.json", {"sockets": plan}), "--publishers", "0",
                           "--event-name", "order.updated"]
    server.note = EVENTS_NOTE
    _attach_driver(server, ["tests.bench.event_driver", "--orders",
                            _write("orders.json", [c["order_id"] for c in made["customer"]]),
                            "--database-url", database_url(), "--redis-url", REDIS_URL,
                            "--prefix", REDIS_PREFIX, "--interval-ms", "{interval_ms}"],
                   client_core, start="ready", stop="published", idle_reply={"seqs": {}, "published": 0})
    return server


def _attach_driver(server: Server, module_args: list[str], core: int, *, start: str, stop: str,
                   idle_reply: dict) -> None:
    """Run `python -m <module_args>` pinned to `core` from one mark to another; its last
    output line is the reply to the second mark. `{name}` in an argument takes server.options."""
    driver: list[subprocess.Popen] = []

    def begin(line: dict) -> None:
        argv = [arg.format(**server.options) for arg in module_args]
        driver.append(subprocess.Popen(["taskset", "-c", str(core), sys.executable, "-m", *argv],
                                       cwd=ROOT, stdout=subprocess.PIPE, text=True))

    def end(line: dict) -> dict:
        if not driver or driver[0].poll() is not None and driver[0].returncode != 0:
            return idle_reply
        driver[0].send_signal(signal.SIGTERM)
        output, _ = driver[0].communicate(timeout=60)
        return json.loads(output.strip().splitlines()[-1])

    server.hooks.update({start: begin, stop: end})
    server.on_stop.append(lambda: driver and driver[0].poll() is None and driver[0].kill())


# Several nodes (W3): the same sockets as _fanout and _fanout_driver, handed over as pairs so
# that a runner can put each courier and its customer on nodes of its choosing.
GPS_PATH_ARGS = ["--gps-format", "cesi", "--recv-event", "courier.location"]


def gps_pairs(count: int) -> list[tuple[dict, dict]]:
    """(customer, courier) plan entries of the product's path: W2's pairs, each courier
    carrying its customer's order and sending `gps`; the customer subscribed to the order."""
    return [({"token": pair["customer"], "role": "customer", "order_id": pair["order_id"],
              "after_seq": pair["after_seq"]},
             {"token": pair["courier"], "role": "courier", "order_id": pair["order_id"],
              "lat": pair["lat"], "lng": pair["lng"]})
            for pair in prepare_pairs(count)]


def driver_pairs(count: int) -> tuple[list[tuple[dict, dict]], list[str]]:
    """(customer, courier) plan entries for fixes a driver publishes to each customer's own
    room (the couriers only hold sockets), and those rooms, one per pair."""
    made = prepare({"customer": count, "courier": count})
    pairs, rooms = [], []
    for customer, courier in zip(made["customer"], made["courier"]):
        where = f"user:{_user_id(customer['token'])}"
        pairs.append(({"token": customer["token"], "role": "customer", "order_id": where},
                      {"token": courier["token"], "role": "courier", "order_id": where}))
        rooms.append(where)
    return pairs, rooms


def attach_gps_driver(server: Server, rooms: list[str], core: int) -> None:
    """The gps driver publishes to `rooms` from the generator's `ready` mark to its `end`."""
    _attach_driver(server, ["tests.bench.gps_driver", "--rooms", _write("rooms.json", rooms),
                            "--redis-url", REDIS_URL, "--prefix", REDIS_PREFIX],
                   core, start="ready", stop="end", idle_reply={"sent": 0})
