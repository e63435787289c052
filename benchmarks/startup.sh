#!/usr/bin/env bash
# Time from exec to the first 2xx answer of the release binary, next to nginx's measured the
# same way in the same run, then the in-process figures (AuthMockBenchmarks mock).
# Usage: benchmarks/startup.sh [RUNS] (default 30). Needs nginx (apt-get install -y nginx-light).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
swift build -c release --product confluence-auth-mock --product AuthMockBenchmarks >/dev/null 2>&1 || {
  swift build -c release --product confluence-auth-mock >/dev/null
  swift build -c release --product AuthMockBenchmarks >/dev/null
}
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$bin/confluence-auth-mock" "$work" "$runs" <<'PY'
import os, socket, statistics, subprocess, sys, time
binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def first_2xx(port, deadline):
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if c.recv(16).startswith(b"HTTP/1.1 2"):
                    return True
        except OSError:
            time.sleep(0.0002)
    return False

def measure(command, port):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = first_2xx(port, start + 5)
    elapsed = (time.perf_counter() - start) * 1000
    process.terminate(); process.wait()
    return elapsed if ok else float("nan")

def nginx_command(port):
    conf = os.path.join(work, f"nginx-{port}.conf")
    with open(conf, "w") as f:
        f.write(f"daemon off; worker_processes 1; pid {work}/nginx-{port}.pid; error_log {work}/error.log;"
                f"events {{}} http {{ access_log off; client_body_temp_path {work}; proxy_temp_path {work};"
                f"fastcgi_temp_path {work}; uwsgi_temp_path {work}; scgi_temp_path {work};"
                f"server {{ listen 127.0.0.1:{port}; location / {{ return 200 'ok'; }} }} }}")
    return ["nginx", "-c", conf]

ours, theirs = [], []
for _ in range(runs):
    port = free_port(); ours.append(measure([binary, "serve", "--port", str(port)], port))
    port = free_port(); theirs.append(measure(nginx_command(port), port))
o, n = statistics.median(ours), statistics.median(theirs)
print(f"exec to first 2xx, median of {runs} (ms)\tours {o:.1f}\tnginx {n:.1f}\tratio {o / n:.2f}x\tgoal <= 15 ms")
PY
"$bin/AuthMockBenchmarks" mock 50
