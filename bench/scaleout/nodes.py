#!/usr/bin/env python3
"""bench/scaleout/nodes.py: the scale-out figures that need whole processes.

  nodes.py BUILD_DIR POSTGRES_URL

On a scratch schema of the PostgreSQL at POSTGRES_URL, with the wordcount
example's cassette: an API node (`serve --no-worker`) and workers
(`codecrew worker`), each with its own data directory.
  - event delay: an SSE client on the API node receives every event of
    executions run by a worker; the delay is the receipt time less the event's
    created_at (stamped by the worker inside the transaction that stores it,
    on this host's clock): p50 and p99;
  - takeover: a worker holding a running execution is killed (SIGKILL) with
    HEARTBEAT_TIMEOUT_SECONDS=3; the time until another worker holds the job:
    p50 and p99 of the trials.
Reports figures; never passes or fails on them.
"""
import calendar
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BUILD, BASE_URL = sys.argv[1], sys.argv[2]
BINARY = os.path.join(BUILD, "codecrew")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASSETTE = os.path.join(ROOT, "examples", "wordcount", "wordcount.cassette.jsonl")
SCHEMA = "nodes_bench_%d" % os.getpid()
SEP = "&" if "?" in BASE_URL else "?"
URL = BASE_URL + SEP + "options=" + urllib.parse.quote("-csearch_path=" + SCHEMA)
ENV = dict(os.environ, DATABASE_URL=URL, HEARTBEAT_INTERVAL_SECONDS="1", HEARTBEAT_TIMEOUT_SECONDS="3",
           CODECREW_LOG_FORMAT="text")


def psql(url, sql):
    return subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def start(verb, data_dir, *args, name):
    env = dict(ENV, PGAPPNAME=name)
    p = subprocess.Popen([BINARY, verb, "--data-dir", data_dir, "--replay", CASSETTE, *args], env=env,
                         stdout=subprocess.PIPE, stderr=open(os.path.join(data_dir, "stderr.log"), "w"), text=True)
    first = p.stdout.readline()
    return p, first


def request(port, key, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = "application/json"
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, (json.loads(data) if data else None)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main():
    psql(BASE_URL, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s" %
         (SCHEMA, SCHEMA))
    tmp = tempfile.mkdtemp(prefix="codecrew-nodes-bench-")
    procs = []
    try:
        api_dir = os.path.join(tmp, "api")
        os.makedirs(api_dir)
        key = subprocess.run([BINARY, "keys", "create", "--tenant", "bench", "--role", "admin", "--data-dir", api_dir],
                             env=ENV, capture_output=True, text=True, check=True).stdout.splitlines()[0]
        api, line = start("serve", api_dir, "--port", "0", "--no-worker", name="bench-api")
        procs.append(api)
        port = int(line.strip().rsplit(":", 1)[1])

        def worker(i):
            d = os.path.join(tmp, "w%d" % i)
            os.makedirs(d, exist_ok=True)
            p, _ = start("worker", d, name="bench-worker-%d" % i)
            procs.append(p)
            return p

        def run_one(name, on_started=None):
            _, wf = request(port, key, "POST", "/workflows",
                            {"name": name, "description": "A python3 wordcount.py with unit tests", "crew": "sdlc"})
            delays = []
            ready = threading.Event()

            def listen():
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.request("GET", "/events/workflows/%d/stream" % wf["id"], headers={"Authorization": "Bearer " + key})
                r = c.getresponse()
                ready.set()
                while True:
                    raw = r.fp.readline()
                    if not raw:
                        return
                    text = raw.decode()
                    if text.startswith("data: "):
                        event = json.loads(text[6:])
                        if event.get("seq", 0) > 0:
                            created = event["created_at"]
                            if isinstance(created, str):
                                created = calendar.timegm(time.strptime(created[:19], "%Y-%m-%dT%H:%M:%S")) + \
                                    float("0." + created[20:23])
                            else:
                                created = created / 1000.0
                            delays.append((time.time() - created) * 1000.0)
                        if event.get("type") == "execution.status" and \
                                event.get("data", {}).get("status") in ("completed", "failed"):
                            return

            t = threading.Thread(target=listen, daemon=True)
            t.start()
            ready.wait(10)
            _, started = request(port, key, "POST", "/workflows/%d/executions/start" % wf["id"])
            e = started["execution"]["id"]
            if on_started:
                on_started(e)
            while True:
                _, x = request(port, key, "GET", "/workflows/%d/executions/%d" % (wf["id"], e))
                if x["status"] in ("completed", "failed", "cancelled"):
                    break
                if x["status"] == "waiting_approval":
                    _, pending = request(port, key, "GET", "/approvals?execution_id=%d" % e)
                    for a in pending["approvals"]:
                        request(port, key, "POST", "/approvals/%d/approve" % a["id"], {"comment": "ok"})
                time.sleep(0.05)
            t.join(10)
            return e, x, delays

        w0 = worker(0)
        all_delays = []
        for i in range(5):
            _, x, delays = run_one("delay-%d" % i)
            all_delays += delays
        print("nodes: event delay, worker commit to an SSE client on an API node (%d events of 5 executions): "
              "p50 %.1f ms, p99 %.1f ms" % (len(all_delays), percentile(all_delays, 50), percentile(all_delays, 99)))

        # Takeover: a second worker stands by; the one holding the job is killed.
        worker(1)
        takeovers = []
        for trial in range(5):
            def kill_holder(e):
                for _ in range(400):
                    owner = psql(URL, "SELECT lease_owner FROM execution_jobs WHERE execution_id = %d" % e)
                    if owner:
                        break
                    time.sleep(0.01)
                pid = int(owner.rsplit("-", 1)[1])
                os.kill(pid, signal.SIGKILL)
                killed = time.time()
                while True:
                    now_owner = psql(URL, "SELECT lease_owner FROM execution_jobs WHERE execution_id = %d" % e)
                    if now_owner and now_owner != owner:
                        takeovers.append((time.time() - killed) * 1000.0)
                        return
                    status = psql(URL, "SELECT status FROM execution_jobs WHERE execution_id = %d" % e)
                    if status in ("paused", "succeeded", "failed"):
                        return  # the run had ended before the kill landed
                    time.sleep(0.02)

            waiter = {}

            def on_started(e):
                waiter["t"] = threading.Thread(target=kill_holder, args=(e,), daemon=True)
                waiter["t"].start()

            run_one("takeover-%d" % trial, on_started)
            waiter["t"].join(30)
            # replace the killed worker so two stand by again
            alive = [p for p in procs[1:] if p.poll() is None]
            if len(alive) < 2:
                worker(10 + trial)
        if takeovers:
            print("nodes: takeover after SIGKILL of the holding worker, HEARTBEAT_TIMEOUT_SECONDS=3 "
                  "(%d trials): p50 %.0f ms, p99 %.0f ms" % (len(takeovers), percentile(takeovers, 50),
                                                             percentile(takeovers, 99)))
        count = psql(BASE_URL, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'bench-%'")
        print("nodes: connections of the API node and the workers at the end: %s" % count)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        psql(BASE_URL, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE" % SCHEMA)


if __name__ == "__main__":
    main()
