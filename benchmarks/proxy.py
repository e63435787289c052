"""Drives benchmarks/proxy.sh: gateway requests over keep-alive HTTPS, through the proxy's CONNECT tunnel
and straight to the mock's own HTTPS listener, from PROCESSES processes at once; and the cost of a tunnel
to a host seen for the first time (its certificate is minted) against one to a host already seen.
Usage: proxy.py PORT TLS_PORT CA TOKEN SECONDS PROCESSES"""
import http.client
import multiprocessing
import ssl
import statistics
import sys
import time

port, tls_port, ca, token, seconds, processes = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
PATH = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"


def connection(kind):
    context = ssl.create_default_context(cafile=ca)
    if kind == "tunnel":
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context)
        conn.set_tunnel("api.atlassian.com", 443)
        return conn, "api.atlassian.com"
    return http.client.HTTPSConnection("localhost", tls_port, context=context), f"localhost:{tls_port}"


def worker(kind, deadline, results):
    conn, host = connection(kind)
    count = 0
    while time.time() < deadline:
        conn.request("GET", PATH, headers={"Authorization": f"Bearer {token}", "Host": host})
        answer = conn.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
        count += 1
    results.put(count)


def rate(kind):
    results = multiprocessing.Queue()
    deadline = time.time() + seconds
    workers = [multiprocessing.Process(target=worker, args=(kind, deadline, results)) for _ in range(processes)]
    for w in workers:
        w.start()
    total = sum(results.get() for _ in workers)
    for w in workers:
        w.join()
    return total / seconds


def first_tunnel_ms(host):
    context = ssl.create_default_context(cafile=ca)
    started = time.perf_counter()
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context)
    conn.set_tunnel(host, 443)
    conn.request("GET", "/_edge/tenant_info")
    conn.getresponse().read()
    conn.close()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    rounds = []
    for round_number in range(3):
        order = ["tunnel", "direct"] if round_number % 2 == 0 else ["direct", "tunnel"]
        measured = {kind: rate(kind) for kind in order}
        rounds.append(measured)
        print(f"round {round_number + 1}: through the tunnel {measured['tunnel']:.0f}/s, own HTTPS listener {measured['direct']:.0f}/s, "
              f"ratio {measured['tunnel'] / measured['direct']:.2f}")
    ratios = [r["tunnel"] / r["direct"] for r in rounds]
    print(f"median ratio tunnel / own HTTPS listener: {statistics.median(ratios):.2f}")
    # Hosts no tunnel has reached yet: the first tunnel to each mints its certificate (any answer will do).
    fresh = [first_tunnel_ms(host) for host in ("acme.atlassian.net", "auth.atlassian.com", "connect-install-keys.atlassian.com")]
    again = [first_tunnel_ms("acme.atlassian.net") for _ in range(10)]
    print(f"a new connection through a tunnel (CONNECT, TLS handshake, one request): first to a host "
          f"{statistics.median(fresh):.1f} ms (its certificate minted), later {statistics.median(again):.1f} ms (median of 10)")
