"""The benchmark run: phases, measurements and the printed report."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from typing import Any

from .client import Ledger, Stats
from .common import (
    CEILING_DIR,
    GOAL_FRACTION,
    KOERS_DB,
    RAISED_PER_IP,
    CpuMeter,
    cpu_busy,
    free_port,
    machine_load,
    ms,
    pct,
    postmaster_pid,
    say,
    tree_seconds,
)

# --- the run -------------------------------------------------------------------------------
from .harness import Harness
from .respondents import Phase1Config, run_respondents
from .servers import pg_execute
from .throughput import (
    WRK_DONE,
    Pair,
    PairPool,
    WrkResult,
    autosave_request,
    ceiling_request,
    closed_loop,
    ensure_wrk,
    ramp,
    run_wrk,
)


class Bench(Harness):
    def run(self) -> int:
        args = self.args
        quick = args.quick
        run_started = time.monotonic()

        def clock() -> str:
            return f"[{time.monotonic() - run_started:5.1f} s]"

        background = cpu_busy()
        time.sleep(1.0)
        idle_load = machine_load(background)
        say(
            f"Koers load benchmark — {os.cpu_count()} CPUs, PostgreSQL "
            f"{pg_execute('postgres', 'show server_version')[0][0].split()[0]}, gunicorn "
            f"{args.workers} sync workers per app, Python {sys.version.split()[0]}"
        )
        say(f"Machine CPU busy before the run (other processes): {idle_load:.0%}")
        if idle_load > 0.15:
            say(
                "  !! the machine is busy with other work: every figure below is lower than on "
                "a quiet machine (the ratio to the ceiling, measured in the same run, less so)"
            )
        info = self.prepare()
        say(
            f"{clock()} Koers: DEBUG={info['debug']}, KOERS_HTTPS=false, ALLOWED_HOSTS=127.0.0.1, "
            f"DB_CONN_MAX_AGE={info['conn_max_age']}, fresh database {KOERS_DB} "
            f"(migrate + collectstatic {info['prepare_seconds']:.1f} s); Career Compass "
            f"v{info['version']}, {info['n_items']} items"
        )
        for extra in args.env:
            say(f"  extra Koers setting for this run: {extra}")
        cache = info["cache"].rsplit(".", 1)[-1] or "default"
        shared = "RedisCache" in cache
        say(
            f"Throttling in Koers: {', '.join(f'{k}={v}' for k, v in info['throttle'].items())}"
            + (
                f", KOERS_PUBLIC_REQUESTS_PER_MINUTE={info['public_per_minute']} per address"
                if info["public_per_minute"] is not None
                else ""
            )
            + f"; counters in {cache}"
            + (f" ({self.koers_env['CACHE_URL']}, shared by all workers)" if shared else "")
            + ("" if shared else " (per worker process: limits are effectively x workers)")
        )
        raise_ip = info["public_per_minute"] is not None and not any(
            e.startswith("KOERS_PUBLIC_REQUESTS_PER_MINUTE=") for e in args.env
        )
        if raise_ip:
            self.koers_env["KOERS_PUBLIC_REQUESTS_PER_MINUTE"] = str(RAISED_PER_IP)
            say(
                f"  !! RAISED for this run: KOERS_PUBLIC_REQUESTS_PER_MINUTE "
                f"{info['public_per_minute']} -> {RAISED_PER_IP}, because every simulated "
                "respondent comes from 127.0.0.1 (real respondents come from many addresses)."
            )
        say(
            "  Not raised: the per-response save limit. Simulated respondents take "
            f"{args.think:.1f} s per answer and the throughput runs spread their saves over "
            "enough responses to stay under it; every 429 is counted below."
        )
        master = self.start_koers()

        # 1. respondents with a worker kill
        duration = args.duration
        cfg = Phase1Config(
            port=self.koers_port,
            token=info["token"],
            respondents=args.respondents,
            concurrency=min(args.respondents, args.concurrency),
            duration=duration,
            sections=args.sections,
            kill_at=duration / 2,
            seed=args.seed,
            think=args.think,
        )
        say("")
        say(
            f"{clock()} 1. Respondents: up to {cfg.respondents} ({cfg.concurrency} at a time), "
            f"{duration:.0f} s, up to {cfg.sections} sections each, {cfg.think:.1f} s per "
            f"answer; SIGKILL one worker at {cfg.kill_at:.0f} s"
        )
        stats, ledger = Stats(), Ledger()
        load_before = cpu_busy()
        meter1 = CpuMeter(
            {
                "Koers (gunicorn)": lambda: tree_seconds(master.pid),
                "PostgreSQL": lambda: tree_seconds(postmaster_pid()),
                "respondents (this script)": time.process_time,
            }
        )
        with meter1:
            phase1 = run_respondents(cfg, master.pid, stats, ledger)
        load1 = machine_load(load_before)
        elapsed = phase1["elapsed"]
        every = stats.all_latencies()
        say(
            f"   {stats.requests} requests in {elapsed:.1f} s = {stats.requests / elapsed:.0f} "
            f"requests/s (machine CPU {load1:.0%}); latency all: p50 {ms(pct(every, 50))}, "
            f"p95 {ms(pct(every, 95))}, p99 {ms(pct(every, 99))}"
        )
        say(f"   {meter1.text()}")
        for kind, values in sorted(stats.latency.items(), key=lambda kv: -len(kv[1])):
            codes = ", ".join(
                f"{code}×{n}" for (k, code), n in sorted(stats.status.items()) if k == kind
            )
            say(
                f"   {kind:<22} {len(values):>6}  p50 {ms(pct(values, 50)):>9}  "
                f"p95 {ms(pct(values, 95)):>9}  p99 {ms(pct(values, 99)):>9}  [{codes}]"
            )
        autosaves = len(stats.latency.get("autosave", []))
        say(f"   autosaves: {autosaves / elapsed:.0f}/s")
        for name, n in sorted(stats.events.items()):
            say(f"   - {name}: {n}")
        if stats.transport:
            say(f"   - requests without a reply (transport errors): {dict(stats.transport)}")
        killed = phase1["killed"]
        if "pid" in killed:
            say(
                f"   worker kill: SIGKILL pid {killed['pid']} at {killed['at']:.1f} s "
                f"({killed['workers_before']} workers; {killed.get('workers_after', '?')} "
                f"3 s later); {killed.get('transport_errors_within_5s', 0)} request(s) lost "
                "their connection within 5 s, each retried by the client"
            )
        else:
            say(f"   worker kill: FAILED ({killed.get('error')})")

        # 2. peak throughput: ceiling and Koers with the same generator, interleaved
        say("")
        wrk, wrk_note = (None, "the Python generator (--no-wrk)") if args.no_wrk else ensure_wrk()
        seconds = 5 if quick else args.peak_seconds
        rounds = 1 if quick else 2
        scale_items = info["scale_items"]
        with_variant = info["conn_max_age"] == 0 and not quick and not args.no_variant
        tool = (
            f"wrk -t2 -c32 -d{seconds}s on each (the ceiling with its post.lua)"
            if wrk
            else f"the Python closed-loop generator on each (32 threads, {seconds} s)"
        )
        say(
            f"{clock()} 2. Peak autosave throughput, {wrk_note}: {tool}; same tool, connections "
            f"and machine for both; {rounds} interleaved round(s) against machine noise"
        )
        ceiling_proc = self.start_ceiling()
        variant_port = free_port()
        variant_master = (
            self.start_koers(variant_port, {"DB_CONN_MAX_AGE": "600"}) if with_variant else None
        )
        if variant_master:
            say(
                "   'Koers (600)' is a second Koers on the same database with DB_CONN_MAX_AGE=600 "
                "(persistent connections, as the ceiling app has); idle while the others run"
            )
        ceiling_script = self.tmp / "ceiling.lua"
        ceiling_script.write_text(
            f'dofile("{CEILING_DIR / "post.lua"}")\n' + WRK_DONE, encoding="utf-8"
        )
        runs: dict[str, list[WrkResult]] = {"ceiling": [], "Koers": [], "Koers (600)": []}
        for _round in range(rounds):
            if wrk:
                runs["ceiling"].append(
                    run_wrk(
                        wrk,
                        ceiling_script,
                        self.ceiling_port,
                        seconds,
                        server_pid=ceiling_proc.pid,
                    )
                )
            else:
                runs["ceiling"].append(closed_loop(ceiling_request(self.ceiling_port), seconds))
            runs["Koers"].append(
                self.koers_wrk(
                    wrk, info["token"], scale_items, seconds, self.koers_port, master.pid
                )
            )
            if variant_master:
                runs["Koers (600)"].append(
                    self.koers_wrk(
                        wrk, info["token"], scale_items, seconds, variant_port, variant_master.pid
                    )
                )
            for label in runs:
                if len(runs[label]) == _round + 1:
                    r = runs[label][-1]
                    say(
                        f"   {label:<12} {r.rps:7.0f} req/s  p50 {ms(r.p50):>9}  p95 "
                        f"{ms(r.p95):>9}  p99 {ms(r.p99):>9}  non-2xx {r.non_2xx} (429: "
                        f"{r.throttled})  socket errors {r.socket_errors}  | {r.cpu}"
                    )
        if variant_master:
            self.procs.stop(variant_master)

        def mean_rps(results: list[WrkResult]) -> float:
            answered = sum(r.rps * r.seconds for r in results)
            return answered / max(1e-9, sum(r.seconds for r in results))

        ceiling_rps = mean_rps(runs["ceiling"])
        koers_rps = mean_rps(runs["Koers"])
        variant_rps = mean_rps(runs["Koers (600)"]) if runs["Koers (600)"] else None
        fraction = koers_rps / ceiling_rps if ceiling_rps else float("nan")
        verdict = "meets" if fraction >= GOAL_FRACTION else "is BELOW"
        say(
            f"   mean: ceiling {ceiling_rps:.0f}/s, Koers {koers_rps:.0f}/s → Koers / ceiling = "
            f"{fraction:.3f} ({verdict} the goal of {GOAL_FRACTION}; {koers_rps:.0f} autosaves/s "
            f"≈ {koers_rps * 8.5:,.0f} people answering at one answer per 8.5 s)"
        )
        if variant_rps is not None:
            say(
                f"   with DB_CONN_MAX_AGE=600: Koers {variant_rps:.0f}/s → "
                f"{variant_rps / ceiling_rps:.3f} of the ceiling"
            )

        # 3. ramp of target rates for p95 < 100 ms
        say("")
        step = 2.0 if quick else args.step_seconds
        start_rate = max(10.0, round(koers_rps * (0.5 if quick else 0.4)))
        factor, n_steps = (1.25, 4) if quick else (1.2, 8)
        say(
            f"{clock()} 3. Highest autosave rate with p95 < 100 ms: open-loop ramp from "
            f"{start_rate:.0f}/s, x{factor} per step, {step:.0f} s per step (Python generator, "
            "fresh responses; latency from the scheduled send time)"
        )
        # Enough responses that each gets at most ~80 saves over the whole ramp.
        planned = sum(start_rate * factor**k * step for k in range(n_steps))
        ramp_secrets, csrf = self.new_responses(info["token"], max(20, math.ceil(planned / 80)))
        ramp_pool = PairPool(
            [
                Pair(s, item, low, high, slot)
                for item, low, high in scale_items
                for s, slot in ramp_secrets
            ]
        )
        ramp_ledger = Ledger()
        steps = ramp(
            autosave_request(self.koers_port, csrf, ramp_pool, ramp_ledger),
            start_rate,
            factor,
            n_steps,
            step,
        )
        passing = [s for s in steps if s.passed]
        best = max((s.target for s in passing), default=0.0)
        say(
            f"   highest rate with p95 < 100 ms: {best:.0f} autosaves/s"
            + (f" = {best / ceiling_rps:.3f} of the ceiling's peak" if ceiling_rps else "")
            + ("" if passing else " (even the first step failed)")
            + ("" if len(passing) < len(steps) else " (the ramp ended before p95 reached 100 ms)")
        )

        # 4. every acknowledged answer is in the database, once, with its value
        say("")
        spec = {
            "expect": ledger.expectations() + ramp_ledger.expectations(),
            "wrk_secrets": self.wrk_secrets,
        }
        spec_path = self.tmp / "expect.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        check = self.child("verify", str(spec_path))
        say(
            f"{clock()} 4. Acknowledged answers in the database (surveys_answer, unique per "
            "response and item)"
        )
        say(
            f"   respondents + ramp: {check['checked']} answers acknowledged (last OK per "
            f"response/item): {check['ok']} stored with the acknowledged value, "
            f"{check['later_unacknowledged_value']} replaced by a later save that got no reply "
            f"(not a loss); rows for the same response/item more than once: "
            f"{check['duplicates']}"
        )
        if wrk:
            say(
                f"   wrk runs: {self.wrk_ok} saves answered 200; the database holds "
                f"{check['wrk_versions']} saved versions on those pairs (must be ≥; the excess "
                "are requests still in flight when wrk stopped, at most 32 per run)"
            )
            if check["wrk_versions"] < self.wrk_ok:
                say("   !! fewer saved versions than 200 replies: acknowledged saves were LOST")
                check["lost"] += self.wrk_ok - check["wrk_versions"]
        say(f"   LOST ANSWERS: {check['lost']}")
        for example in check["lost_examples"]:
            say(f"     lost: {example}")
        throttled = (
            stats.events.get("throttled (429)", 0)
            + sum(r.throttled for results in runs.values() for r in results)
            + sum(step.throttled for step in steps)
        )
        say(
            f"   429 responses during the run: {throttled}"
            + (" — Koers throttled the load (see above where)" if throttled else "")
        )

        # 5. profile when below the goal
        if (fraction < GOAL_FRACTION and not args.no_profile) or args.profile:
            say("")
            say(
                f"{clock()} 5. Profile of the autosave path: one process, Django's WSGI handler, "
                "the same settings and database, cProfile"
            )
            n_prof = 100 if quick else 200
            prof = self.child("profile", json.dumps({"token": info["token"], "requests": n_prof}))
            self.print_profile(prof, f"DB_CONN_MAX_AGE={info['conn_max_age']}")
            if info["conn_max_age"] == 0:
                self.koers_env["DB_CONN_MAX_AGE"] = "600"
                prof600 = self.child(
                    "profile", json.dumps({"token": info["token"], "requests": n_prof})
                )
                del self.koers_env["DB_CONN_MAX_AGE"]
                self.print_profile(prof600, "DB_CONN_MAX_AGE=600", short=True)
        say("")
        say(
            f"{clock()} Summary: {stats.requests / elapsed:.0f} requests/s with respondents "
            f"(p95 {ms(pct(every, 95))}); peak autosave {koers_rps:.0f}/s vs ceiling "
            f"{ceiling_rps:.0f}/s = {fraction:.3f} (goal {GOAL_FRACTION})"
            + (
                f", {variant_rps / ceiling_rps:.3f} with persistent connections"
                if variant_rps
                else ""
            )
            + f"; p95 < 100 ms up to {best:.0f}/s; lost answers {check['lost']}; 429s {throttled}"
        )
        return 0 if check["lost"] == 0 else 1

    def print_profile(self, prof: dict[str, Any], label: str, short: bool = False) -> None:
        say(
            f"   [{label}] {prof['requests']} autosaves {prof['statuses']}: "
            f"{prof['per_request_ms']:.2f} ms each without the profiler = "
            f"{prof['single_process_rps']:.0f}/s in one process; "
            f"{prof['queries_per_request']:.1f} SQL statements per autosave "
            f"({', '.join(f'{k} {v:.1f}' for k, v in prof['query_kinds'].items())}), "
            f"{prof['db_ms_per_request']:.2f} ms of it in PostgreSQL round trips; "
            f"{prof['connects']} new database connections"
        )
        whole = prof["breakdown_ms"].get("whole request (WSGI handler)") or 1.0
        say("   where the time goes (profiled ms per autosave, share of the request):")
        for name, value in prof["breakdown_ms"].items():
            say(f"     {name:<58} {value:6.2f} ms  {value / whole:5.0%}")
        if short:
            return
        say("   most own time (tottime):")
        for line in prof["top_tottime"]:
            say("     " + line)
        say("   cumulative, Koers/Django request path:")
        for line in prof["top_cumulative"]:
            say("     " + line)
