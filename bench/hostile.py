#!/usr/bin/env python3
"""Hostile clients against a running backend, each measuring what a user would notice.

    bench/hostile.py pipeline   # memory under a client that pipelines faster than it reads
    bench/hostile.py trickle    # health checks while connections trickle request bodies
    bench/hostile.py bodyflood  # memory and health checks while connections hold big bodies
    bench/hostile.py login      # a real user's login latency while 32 clients guess passwords
    bench/hostile.py recovery   # password recovery's time for registered and unknown e-mails

The server runs on its own (BASE, default http://127.0.0.1:8000) with production settings, so
that its limits and throttles are the defaults; PID names its process for memory figures, and
EMAIL/PASSWORD a user who exists. Every loop is bounded in count and time, and all traffic goes to
loopback only.
"""

import json
import os
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("BASE", "http://127.0.0.1:8000")
HOST = urllib.parse.urlparse(BASE).hostname
PORT = urllib.parse.urlparse(BASE).port or 80
API = BASE + "/api/v1"
EMAIL = os.environ.get("EMAIL", "admin@example.com")
PASSWORD = os.environ.get("PASSWORD", "changethis")


def rss_mb():
    pid = os.environ.get("PID")
    if not pid:
        return None
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024


def request(method, path, body=None, headers=None, form=None):
    """(status, seconds, body) of one request on a connection of its own."""
    headers = dict(headers or {})
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(API + path, data=body, method=method, headers=headers),
                                    timeout=120) as reply:
            return reply.status, time.monotonic() - started, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, error.read()
    except OSError:
        return None, time.monotonic() - started, b""


def token():
    status, _, body = request("POST", "/login/access-token", form={"username": EMAIL, "password": PASSWORD},
                              headers={"X-Forwarded-For": "192.0.2.1"})
    assert status == 200, (status, body)
    return json.loads(body)["access_token"]


def health_checks(seconds, every=2.0):
    """Health checks for `seconds`: (answered 200, others) with each one's second and status."""
    results = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        status, _, _ = request("GET", "/utils/health-check/")
        results.append((round(time.monotonic() - (end - seconds), 1), status))
        time.sleep(every)
    ok = sum(1 for _, status in results if status == 200)
    return ok, len(results) - ok, results


def pipeline():
    """3 million GET /users/me pipelined on one connection for up to 20 s, answers read meanwhile."""
    bearer = token()
    line = f"GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {bearer}\r\n\r\n".encode()
    connection = socket.create_connection((HOST, PORT))
    received = [0]

    def read():
        while True:
            try:
                chunk = connection.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            received[0] += len(chunk)

    threading.Thread(target=read, daemon=True).start()
    print(f"RSS before: {rss_mb()} MB")
    sent, started = 0, time.monotonic()
    connection.settimeout(10)
    burst = line * 1000
    try:
        while sent < 3_000_000 and time.monotonic() - started < 20:
            connection.sendall(burst)
            sent += 1000
    except OSError as error:
        print(f"sending stopped: {error}")
    print(f"sent {sent} requests in {time.monotonic() - started:.1f} s, {received[0] // 1024} KiB of answers read;"
          f" RSS {rss_mb()} MB")
    connection.close()
    time.sleep(1)
    print(f"RSS after the client left: {rss_mb()} MB")


def trickle(connections=int(os.environ.get("CONNECTIONS", "10000")), seconds=60):
    """Connections that each declare a 100-byte body and send one byte of it every 14 s."""
    sockets = []
    for _ in range(connections):
        try:
            s = socket.create_connection((HOST, PORT), timeout=5)
            s.sendall(b"POST /api/v1/items/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
            s.setblocking(False)
            sockets.append(s)
        except OSError:
            break
    print(f"{len(sockets)} trickling connections open")
    stop = threading.Event()

    def drip():
        while not stop.wait(14):
            for s in sockets:
                try:
                    s.send(b"x")
                except OSError:
                    pass

    threading.Thread(target=drip, daemon=True).start()
    ok, refused, results = health_checks(seconds)
    stop.set()
    print(f"health checks over {seconds} s: {ok} answered 200, {refused} not; {results}")
    for s in sockets:
        s.close()


def bodyflood(connections=int(os.environ.get("CONNECTIONS", "400")), seconds=20):
    """Connections that each send 1 MiB - 1 of a declared 1 MiB body, and hold it."""
    print(f"RSS before: {rss_mb()} MB")
    sockets, refused = [], 0
    chunk = b"x" * (1024 * 1024 - 1)
    for _ in range(connections):
        try:
            s = socket.create_connection((HOST, PORT), timeout=5)
            s.sendall(b"POST /api/v1/items/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
            s.settimeout(5)
            s.sendall(chunk)
            sockets.append(s)
        except OSError:
            refused += 1
    answered_503 = 0
    for s in sockets:
        s.setblocking(False)
        try:
            if b" 503 " in s.recv(200):
                answered_503 += 1
        except OSError:
            pass
    print(f"{len(sockets)} bodies sent ({refused} connections failed), {answered_503} answered 503;"
          f" RSS {rss_mb()} MB")
    ok, failed, _ = health_checks(seconds)
    print(f"health checks over {seconds} s: {ok} answered 200, {failed} not; RSS {rss_mb()} MB")
    for s in sockets:
        s.close()


def login(attackers=32, logins=10):
    """A real user's logins (one address) while `attackers` clients (another) send wrong passwords."""
    request("POST", "/users/signup", body=json.dumps({"email": "real@example.com", "password": "real-password-1"})
            .encode(), headers={"Content-Type": "application/json"})
    stop = threading.Event()
    attempts = {}

    def attack(index):
        while not stop.is_set():
            status, _, _ = request("POST", "/login/access-token", form={"username": EMAIL, "password": "wrong"},
                                   headers={"X-Forwarded-For": "203.0.113.66"})
            attempts[status] = attempts.get(status, 0) + 1

    threads = [threading.Thread(target=attack, args=(i,), daemon=True) for i in range(attackers)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    latencies, statuses = [], []
    for _ in range(logins):
        status, seconds, _ = request("POST", "/login/access-token", form={"username": "real@example.com",
                                     "password": "real-password-1"}, headers={"X-Forwarded-For": "198.51.100.7"})
        latencies.append(seconds)
        statuses.append(status)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"real user's logins: statuses {statuses}, median {statistics.median(latencies) * 1000:.0f} ms,"
          f" max {max(latencies) * 1000:.0f} ms; attackers' answers {attempts}")


def recovery(rounds=200):
    """Password recovery for a registered and an unknown e-mail, alternately: latency of each."""
    times = {"registered": [], "unknown": []}
    for index in range(rounds):
        for kind, email in (("registered", EMAIL), ("unknown", f"nobody-{index}@example.com")):
            status, seconds, _ = request("POST", f"/password-recovery/{email}")
            assert status == 200, status
            times[kind].append(seconds * 1000)
    for kind, values in times.items():
        print(f"{kind}: median {statistics.median(values):.2f} ms, mean {statistics.mean(values):.2f} ms")


if __name__ == "__main__":
    commands = {"pipeline": pipeline, "trickle": trickle, "bodyflood": bodyflood, "login": login,
                "recovery": recovery}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
