"""Drives a mixed workload against one mock for a fixed time and samples the server's memory.

Usage: soak.py PORT MINUTES CONNECTIONS CSV, with the server's pid in the SERVER_PID environment
variable; the server serves benchmarks/soak-scenario.json. CONNECTIONS threads each hold one
keep-alive connection (a new one after a wire fault ends it) and run tasks drawn by weight:

  basic    reads with basic auth as Alice, Bob and Carol (Carol is rate-limited to 20 a second),
           with a scoped token, and with a wrong token
  oauth    the 3LO code flow: /authorize, the code exchange, the gateway, /me and
           accessible-resources with the Bearer token, two refreshes with rotation (the scenario
           answers one refresh in ten 503, and the client retries it), the rotated-out refresh
           token used again within its reuse interval
  connect  requests signed with a Connect JWT (HS256 with a qsh), in the header and as ?jwt=, and
           ones the mock must refuse (bad signature, wrong qsh, a scope the app lacks, the gateway)
  forge    Forge app system and user tokens minted over the admin API and used at the gateway
  fault    requests that ask for a fault with an X-Soak-Fault header (reset, close, garbage,
           truncate, slow, 503, delay), and searches, one in four of which the scenario resets
  journal  GET /__admin/requests with filters, each answer checked against its filter

Every request names the outcomes it expects: statuses, or the connection errors `reset`
(ECONNRESET), `closed` (closed without an answer), `garbage` (no valid status line) and
`truncated` (the body cut short). Any other outcome, or an expected status whose answer is wrong,
is an unexpected error; the first ones are printed with details. Every 10 s the server's VmRSS,
threads and open descriptors go to CSV with the requests made so far. At the end it prints a
summary and PASS or FAIL (no unexpected error, and over a run of 20 minutes or more, RSS over the
last 10 minutes within 10 % of RSS at 10 minutes); it exits 1 on FAIL."""
import base64
import collections
import hashlib
import hmac
import http.client
import json
import os
import random
import sys
import threading
import time
from urllib.parse import parse_qs, quote, urlencode, urlsplit

CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674"
SITE, GATEWAY = "/site/acme/wiki", f"/ex/confluence/{CLOUD_ID}/wiki"
ALICE, BOB = "5b10ac8d82e05b22cc7d4ef5", "5b10a2844c20165700ede21g"
CLIENT_ID, CLIENT_SECRET, CALLBACK = "acme-sync-client", "acme-sync-secret", "http://127.0.0.1:8765/callback"
OAUTH_SCOPES = "read:page:confluence read:me offline_access"
APP_KEY, SHARED_SECRET = "com.example.addon", "a-shared-secret-of-32-bytes-min!"
FORGE_APP = "ari:cloud:ecosystem::app/3b4c6a1e-5f7d-4b2a-9c8e-0d1f2a3b4c5d"
SAMPLE_SECONDS, SHOWN_ERRORS = 10, 10
WINDOW_SECONDS = 600  # the RSS criterion: the last 10 minutes against the value at 10 minutes
WEIGHTS = {"basic": 30, "oauth": 8, "connect": 20, "forge": 8, "fault": 14, "journal": 6}


def basic(user, token):
    return "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()


ALICE_BASIC = basic("alice@acme.test", "alice-api-token")

# (authorization, path, expected outcomes) for the basic task.
BASIC_READS = [
    (ALICE_BASIC, f"{SITE}/rest/api/space", {200}),
    (ALICE_BASIC, f"{SITE}/rest/api/content/2001", {200}),
    (ALICE_BASIC, f"{GATEWAY}/api/v2/pages/1001", {200}),
    (basic("alice@acme.test", "alice-scoped-token"), f"{GATEWAY}/api/v2/pages/1002", {200}),
    (basic("alice@acme.test", "alice-scoped-token"), f"{SITE}/api/v2/pages/1002", {401}),
    (basic("bob@acme.test", "bob-api-token"), f"{SITE}/rest/api/content/1001", {200}),
    (basic("bob@acme.test", "bob-api-token"), f"{SITE}/api/v2/pages/2001", {404}),
    (basic("carol@acme.test", "carol-api-token"), f"{SITE}/rest/api/space", {200, 429}),
    (basic("carol@acme.test", "carol-api-token"), f"{SITE}/api/v2/pages/1001", {404, 429}),
    (basic("alice@acme.test", "not-her-token"), f"{SITE}/rest/api/space", {403}),
    (basic("alice@acme.test", "not-her-token"), f"{SITE}/api/v2/pages/1001", {404}),
    (basic("alice@acme.test", "not-her-token"), f"{GATEWAY}/api/v2/pages/1001", {401}),
]

# X-Soak-Fault value → expected outcomes and the least time the answer must take (seconds).
FAULTS = {
    "reset": ({"reset"}, 0), "close": ({"closed"}, 0), "garbage": ({"garbage"}, 0), "truncate": ({"truncated"}, 0),
    "slow": ({200}, 0.2),  # 1,000 bytes a second in 100-byte slices: a page of about 320 bytes takes 0.3 s
    "503": ({503}, 0), "delay": ({200}, 0.05),
}

JOURNAL_FILTERS = [
    ({"limit": 50}, lambda entry: True),
    ({"status": 0, "limit": 20}, lambda entry: entry["status"] == 0 and entry["fault"] is not None),
    ({"principal": "bob@acme.test", "limit": 20}, lambda entry: entry["auth"]["principal"] in (BOB, "bob@acme.test")),
    ({"client": CLIENT_ID, "limit": 20}, lambda entry: entry["auth"]["client"] == CLIENT_ID),
    ({"method": "POST", "path": "/oauth/token", "limit": 20}, lambda entry: entry["method"] == "POST" and entry["path"] == "/oauth/token"),
    ({"path": "/wiki/*", "status": 503, "limit": 10},
     lambda entry: entry["status"] == 503 and (entry["pathWithinSite"] or "").startswith("/wiki/")),
]


def scope_refusal(_outcome, _headers, data, _elapsed):
    """Checks a 401 is the gateway's scope refusal, not a refused token."""
    if json.loads(data) != {"code": 401, "message": "Unauthorized; scope does not match"}:
        return "not the gateway's scope refusal"
    return None


def auth_failure(failure):
    """Checks a Connect refusal names `failure` in X-Mock-Auth-Failure."""
    def names(_outcome, headers, _data, _elapsed):
        named = headers.get("x-mock-auth-failure", "")
        return None if named.split(";")[0] == failure else f"X-Mock-Auth-Failure is {named!r}, not {failure!r}"
    return names


def parses_when_ok(outcome, _headers, data, _elapsed):
    """Checks a 200's body is JSON (a ValueError is reported by `call`)."""
    if outcome == 200:
        json.loads(data)
    return None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def connect_jwt(method, path, query=(), secret=SHARED_SECRET):
    """An HS256 Connect JWT whose qsh is the canonical request of `path` (relative to /wiki) and `query`."""
    encode = lambda text: quote(text, safe="-_.~")
    grouped = {}
    for name, value in query:
        grouped.setdefault(encode(name), []).append(encode(value))
    canonical_query = "&".join(f"{name}=" + ",".join(sorted(values)) for name, values in sorted(grouped.items()))
    now = int(time.time())
    claims = {"iss": APP_KEY, "iat": now, "exp": now + 180,
              "qsh": hashlib.sha256(f"{method}&{path}&{canonical_query}".encode()).hexdigest()}
    signing_input = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


class Unexpected(Exception):
    """A flow cannot go on: an earlier request of it had an unexpected outcome (already counted)."""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes = collections.defaultdict(collections.Counter)  # kind → outcome → count
        self.requests = 0
        self.unexpected = 0
        self.shown = []

    def count(self, kind, outcome):
        with self.lock:
            self.outcomes[kind][outcome] += 1
            self.requests += 1

    def fail(self, record):
        with self.lock:
            self.unexpected += 1
            if len(self.shown) < SHOWN_ERRORS:
                self.shown.append(record)


class Worker:
    """One thread with one keep-alive connection."""

    def __init__(self, port, stats, started, seed):
        self.stats, self.started = stats, started
        self.random = random.Random(seed)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, kind, method, path, expect, headers=None, body=None, check=None, label=None):
        """Sends one request and checks its outcome (counted under `label` too, when given). Returns
        (outcome, headers, body); raises Unexpected."""
        headers = dict(headers or {})
        if isinstance(body, dict):
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        answer_headers, data, began = {}, b"", time.monotonic()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            answer_headers = {name.lower(): value for name, value in response.getheaders()}
            try:
                data = response.read()
                outcome = response.status
            except http.client.IncompleteRead as error:
                data, outcome = error.partial, "truncated"
        except http.client.RemoteDisconnected:
            outcome = "closed"
        except ConnectionResetError:
            outcome = "reset"
        except http.client.BadStatusLine:
            outcome = "garbage"
        except (OSError, http.client.HTTPException) as error:
            outcome = f"{type(error).__name__}: {error}"
        elapsed = time.monotonic() - began
        if not isinstance(outcome, int):
            self.connection.close()  # the next request opens a new connection
        self.stats.count(kind, outcome if label is None else f"{label} {outcome}")
        problem = None if outcome in expect else "outcome not expected"
        if problem is None and check is not None:
            try:
                problem = check(outcome, answer_headers, data, elapsed)
            except (ValueError, KeyError, TypeError, AttributeError) as error:  # a body not in the shape expected
                problem = f"{type(error).__name__} reading the answer: {error}"
        if problem is not None:
            self.stats.fail({"at": round(time.monotonic() - self.started, 1), "kind": kind, "request": f"{method} {path}",
                             "expected": sorted(map(str, expect)), "outcome": outcome, "problem": problem,
                             "seconds": round(elapsed, 3), "headers": answer_headers, "body": data[:300].decode("utf-8", "replace")})
            raise Unexpected
        return outcome, answer_headers, data

    def json_call(self, kind, method, path, expect, headers=None, body=None):
        """`call` for an answer whose JSON the flow reads when its status is 200."""
        outcome, _, data = self.call(kind, method, path, expect, headers, body, check=parses_when_ok)
        return outcome, json.loads(data) if outcome == 200 else None

    def basic(self):
        authorization, path, expect = self.random.choice(BASIC_READS)
        self.call("basic", "GET", path, expect, {"Authorization": authorization})

    def oauth(self):
        state = f"s{self.random.getrandbits(32)}"
        query = urlencode({"audience": "api.atlassian.com", "client_id": CLIENT_ID, "scope": OAUTH_SCOPES, "redirect_uri": CALLBACK,
                           "state": state, "response_type": "code", "prompt": "consent"})

        def redirects_with_a_code(_outcome, headers, _data, _elapsed):
            location = urlsplit(headers.get("location", ""))
            fields = parse_qs(location.query)
            if f"{location.scheme}://{location.netloc}{location.path}" != CALLBACK or fields.get("state") != [state] or "code" not in fields:
                return f"the redirect has no code and state: {headers.get('location')!r}"
            return None
        _, headers, _ = self.call("oauth", "GET", f"/authorize?{query}", {302}, check=redirects_with_a_code)
        code = parse_qs(urlsplit(headers["location"]).query)["code"][0]
        exchange = {"grant_type": "authorization_code", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code,
                    "redirect_uri": CALLBACK}
        if self.random.random() < 0.5:
            _, tokens = self.json_call("oauth", "POST", "/oauth/token", {200}, body=exchange)
        else:
            _, tokens = self.json_call("oauth", "POST", "/oauth/token", {200}, {"Content-Type": "application/x-www-form-urlencoded"},
                                       urlencode(exchange))
        self.use_access_token(tokens["access_token"])
        first_refresh = tokens["refresh_token"]
        rotated = self.refresh(first_refresh)
        self.use_access_token(rotated["access_token"])
        self.refresh(rotated["refresh_token"])
        self.refresh(first_refresh)  # rotated out, but within the 30-second reuse interval

    def use_access_token(self, token):
        bearer = {"Authorization": f"Bearer {token}"}
        self.call("oauth", "GET", f"{GATEWAY}/api/v2/pages/1001", {200}, bearer)
        self.call("oauth", "GET", f"{GATEWAY}/api/v2/spaces", {401}, bearer, check=scope_refusal)  # read:space:confluence not granted
        self.call("oauth", "GET", self.random.choice(["/me", "/oauth/token/accessible-resources"]), {200}, bearer)

    def refresh(self, refresh_token):
        """A refresh, retried while the scenario's fault answers 503; checks the rotation."""
        form = urlencode({"grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                          "refresh_token": refresh_token})

        def rotates(outcome, headers, data, _elapsed):
            if outcome == 200 and json.loads(data).get("refresh_token") in (None, refresh_token):
                return "the refresh token was not rotated"
            if outcome == 503 and headers.get("retry-after") != "1":
                return "not the scenario's 503 (Retry-After: 1)"
            return None
        for _ in range(20):
            outcome, _, data = self.call("oauth", "POST", "/oauth/token", {200, 503}, {"Content-Type": "application/x-www-form-urlencoded"},
                                         form, check=rotates)
            if outcome == 200:
                return json.loads(data)
        raise Unexpected

    def connect(self):
        choice = self.random.randrange(8)
        if choice == 0:
            query = [("spaceKey", "ENG"), ("limit", "5")]
            token = connect_jwt("GET", "/rest/api/content", query)
            self.call("connect", "GET", f"{SITE}/rest/api/content?{urlencode(query)}", {200}, {"Authorization": f"JWT {token}"})
        elif choice == 1:
            self.call("connect", "GET", f"{SITE}/api/v2/pages/1001", {200}, {"Authorization": f"JWT {connect_jwt('GET', '/api/v2/pages/1001')}"})
        elif choice == 2:
            self.call("connect", "GET", f"{SITE}/rest/api/space?jwt={connect_jwt('GET', '/rest/api/space')}", {200})
        elif choice == 3:  # the app user may view ENG only
            self.call("connect", "GET", f"{SITE}/api/v2/pages/2001", {404}, {"Authorization": f"JWT {connect_jwt('GET', '/api/v2/pages/2001')}"})
        else:
            method, path, token, failure = [
                ("POST", "/rest/api/content", connect_jwt("POST", "/rest/api/content"), "scope"),
                ("GET", "/rest/api/space", connect_jwt("GET", "/rest/api/space", secret="not-the-shared-secret-of-32-bytes"), "bad-signature"),
                ("GET", "/rest/api/space", connect_jwt("GET", "/rest/api/content"), "qsh-mismatch"),
                ("GET", "/api/v2/pages/1001", connect_jwt("GET", "/api/v2/pages/1001"), "gateway"),
            ][choice - 4]
            base = GATEWAY if failure == "gateway" else SITE
            body = {"type": "page", "title": "Soak", "space": {"key": "ENG"}} if method == "POST" else None
            self.call("connect", method, f"{base}{path}", {403 if failure == "scope" else 401}, {"Authorization": f"JWT {token}"}, body,
                      check=auth_failure(failure))

    def forge(self):
        request = {"app": FORGE_APP, "site": "acme", "kind": "system"}
        if self.random.random() < 0.5:
            request.update(kind="user", user="alice@acme.test")
        _, minted = self.json_call("forge", "POST", "/__admin/forge/tokens", {200}, body=request)
        bearer = {"Authorization": f"Bearer {minted['token']}"}
        self.call("forge", "GET", f"{GATEWAY}/api/v2/pages/1001", {200}, bearer)
        self.call("forge", "GET", f"{GATEWAY}/api/v2/spaces", {200}, bearer)
        self.call("forge", "GET", f"{GATEWAY}/rest/api/user/current", {401}, bearer, check=scope_refusal)  # outside the manifest

    def fault(self):
        choice = self.random.choice([*FAULTS, "search"])
        if choice == "search":
            self.call("fault", "GET", f"{SITE}/rest/api/search?cql=type%3Dpage", {200, "reset"}, {"Authorization": ALICE_BASIC}, label=choice)
            return
        expect, least = FAULTS[choice]
        headers = {"X-Soak-Fault": choice}
        if 200 in expect or self.random.random() < 0.8:
            headers["Authorization"] = ALICE_BASIC  # without one, a fault that replaces the answer applies all the same

        def whole_and_in_time(outcome, answer_headers, data, elapsed):
            if elapsed < least:
                return f"answered in {elapsed:.3f} s, before the fault's {least} s"
            if outcome == 503 and answer_headers.get("retry-after") != "1":
                return "the fault's 503 has no Retry-After: 1"
            if outcome == 200 and json.loads(data).get("title") != "Runbook":
                return "the page is not whole"
            return None
        path = self.random.choice([f"{SITE}/api/v2/pages/1001", f"{GATEWAY}/api/v2/pages/1001"])
        self.call("fault", "GET", path, expect, headers, check=whole_and_in_time, label=choice)

    def journal(self):
        query, holds = self.random.choice(JOURNAL_FILTERS)

        def matches(_outcome, _headers, data, _elapsed):
            entries = json.loads(data)["requests"]
            ids = [entry["id"] for entry in entries]
            if len(entries) > query["limit"] or ids != sorted(set(ids)):
                return f"{len(entries)} entries (limit {query['limit']}), ids {ids[:5]}…"
            wrong = [entry for entry in entries if not holds(entry)]
            return f"entry {wrong[0]['id']} does not match the filter" if wrong else None
        self.call("journal", "GET", f"/__admin/requests?{urlencode(query)}", {200}, check=matches)

    def run(self, deadline, stop):
        tasks = list(WEIGHTS)
        weights = [WEIGHTS[task] for task in tasks]
        while time.monotonic() < deadline and not stop.is_set():
            task = self.random.choices(tasks, weights)[0]
            try:
                getattr(self, task)()
            except Unexpected:
                pass
            except (ValueError, KeyError, TypeError, AttributeError) as error:  # an answer the flow could not use
                self.stats.fail({"at": round(time.monotonic() - self.started, 1), "kind": task, "problem": f"{type(error).__name__}: {error}"})
        self.connection.close()


def server_status(pid):
    """(VmRSS KiB, threads, open descriptors) of the server, or None once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status)
        return int(fields["VmRSS"].split()[0]), int(fields["Threads"]), len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return None


def sample(pid, csv_path, stats, started, deadline, stop, samples):
    """Every 10 s: a CSV row and a (seconds, RSS) sample; stops the run if the server has exited."""
    with open(csv_path, "w") as csv:
        csv.write("seconds,rss_kib,requests,threads,fds\n")
        tick = 0
        while True:
            status = server_status(pid)
            seconds = tick * SAMPLE_SECONDS
            if status is None:
                samples.append((seconds, None))
                stop.set()
                return
            csv.write(f"{seconds},{status[0]},{stats.requests},{status[1]},{status[2]}\n")
            csv.flush()
            samples.append((seconds, status[0]))
            tick += 1
            if started + tick * SAMPLE_SECONDS > deadline + 0.5 or stop.wait(max(0, started + tick * SAMPLE_SECONDS - time.monotonic())):
                return


def percent(value, reference):
    return f"{(value - reference) * 100 / reference:+.1f} %"


def rss_verdict(samples):
    """Prints the RSS figures; returns whether the RSS criterion holds (None when not evaluated)."""
    measured = [(seconds, rss) for seconds, rss in samples if rss is not None]
    if not measured:
        print("RSS: no sample (the server was gone)")
        return False
    shown = [", ".join(f"{seconds} s {rss}" for seconds, rss in part) for part in (measured[:3], measured[3:][-3:])]
    print("RSS (KiB): " + (" … " if len(measured) > 6 else ", ").join(part for part in shown if part))
    last = measured[-1][0]
    if last < 2 * WINDOW_SECONDS:
        half = [rss for seconds, rss in measured if seconds >= last / 2]
        middle = next(rss for seconds, rss in measured if seconds >= last / 2)
        print(f"RSS criterion not evaluated: the run is shorter than 20 minutes (last sample at {last} s)")
        if last >= WINDOW_SECONDS:
            at_ten = next(rss for seconds, rss in measured if seconds >= WINDOW_SECONDS)
            since = [rss for seconds, rss in measured if seconds >= WINDOW_SECONDS]
            print(f"RSS at 10 minutes: {at_ten} KiB; since then min {min(since)} KiB ({percent(min(since), at_ten)}), "
                  f"max {max(since)} KiB ({percent(max(since), at_ten)})")
        print(f"first under load {measured[1][1] if len(measured) > 1 else measured[0][1]} KiB, half-way {middle} KiB, "
              f"last {measured[-1][1]} KiB ({percent(measured[-1][1], middle)} against half-way); "
              f"second half min {min(half)} max {max(half)} KiB")
        return None
    at_ten = next(rss for seconds, rss in measured if seconds >= WINDOW_SECONDS)
    window = [rss for seconds, rss in measured if seconds >= last - WINDOW_SECONDS]
    low, high = min(window), max(window)
    held = all(abs(rss - at_ten) * 10 <= at_ten for rss in window)
    print(f"RSS at 10 minutes: {at_ten} KiB; last 10 minutes: min {low} KiB ({percent(low, at_ten)}), "
          f"max {high} KiB ({percent(high, at_ten)}); within ±10 %: {'yes' if held else 'no'}")
    return held


def main():
    port, minutes, connections, csv_path = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    pid, seed = int(os.environ["SERVER_PID"]), int(os.environ.get("SOAK_SEED", "1"))
    stats, stop, samples = Stats(), threading.Event(), []
    started = time.monotonic()
    deadline = started + minutes * 60
    sampler = threading.Thread(target=sample, args=(pid, csv_path, stats, started, deadline, stop, samples))
    sampler.start()
    workers = [threading.Thread(target=Worker(port, stats, started, seed * 1000 + n).run, args=(deadline, stop)) for n in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join()

    print(f"{connections} connections for {elapsed:.0f} s: {stats.requests} requests, {stats.requests / elapsed:.0f}/s")
    for kind in WEIGHTS:
        outcomes = stats.outcomes[kind]
        total = sum(outcomes.values())
        detail = ", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items(), key=lambda item: -item[1]))
        print(f"  {kind:8} {total:9} ({total / elapsed:6.0f}/s): {detail}")
    print(f"unexpected errors: {stats.unexpected}")
    for record in stats.shown:
        print("  " + json.dumps(record))
    crashed = samples and samples[-1][1] is None
    if crashed:
        print(f"the server exited during the run (noticed at {samples[-1][0]} s)")
    print(f"RSS samples every {SAMPLE_SECONDS} s: {csv_path}")
    rss_held = rss_verdict(samples)
    passed = stats.unexpected == 0 and not crashed and rss_held is not False
    criteria = "0 unexpected errors" + (", RSS over the last 10 minutes within ±10 % of RSS at 10 minutes" if rss_held is not None else "")
    print(f"{'PASS' if passed else 'FAIL'} (criteria: {criteria})")
    sys.exit(0 if passed else 1)


main()
