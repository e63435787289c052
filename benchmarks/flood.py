"""Holds N half-open connections to a server and probes it meanwhile.

Usage: flood.py PORT N PROBES. Opens N connections that each send a partial request head (the
slowloris pattern) and hold it, then sends PROBES complete requests on new connections, one after
another, and prints one JSON line: connections held, probes answered 200, probe latencies (ms),
and the server's resident memory and threads while the connections are held (from /proc, given
the server's pid in the SERVER_PID environment variable)."""
import json
import os
import resource
import socket
import statistics
import sys
import time


def server_status():
    fields = {}
    with open(f"/proc/{os.environ['SERVER_PID']}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["Threads"])


def probe(port):
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        return answer.startswith(b"HTTP/1.1 200"), (time.perf_counter() - started) * 1000
    except OSError:
        return False, (time.perf_counter() - started) * 1000


def main():
    port, count, probes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held = []
    for _ in range(count):
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(b"GET /wiki/rest/api/space HTTP/1.1\r\nHost: localhost\r\n")
            held.append(connection)
        except OSError:
            break
    time.sleep(0.5)  # past the server's parking delay
    rss, threads = server_status()
    results = [probe(port) for _ in range(probes)]
    latencies = sorted(latency for _, latency in results)
    print(json.dumps({"held": len(held), "ok": sum(ok for ok, _ in results), "probes": probes,
                      "p50_ms": round(statistics.median(latencies), 2), "max_ms": round(latencies[-1], 2),
                      "rss_mib": rss, "threads": threads}))
    for connection in held:
        connection.close()


main()
