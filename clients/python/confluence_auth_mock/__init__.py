"""Start confluence-auth-mock from Python and drive it: the process on a free port, its admin API,
and the proxy settings that let an unmodified client reach it with Atlassian's production URLs.

    from confluence_auth_mock import ConfluenceMock

    with ConfluenceMock.start() as mock:
        with mock.proxy_env():
            ...  # the client under test, with https://acme.atlassian.net and https://auth.atlassian.com
        assert mock.requests(path="/wiki/*")[0]["auth"]["decision"] == "allowed"

Only the standard library is used."""
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["ConfluenceMock", "MockError"]

READY = "confluence-auth-mock listening on "
# Straight to the mock, never through a proxy (not even one proxy_env() set).
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class MockError(RuntimeError):
    """The mock could not be started, or its admin API refused a call (the message says why)."""


class ConfluenceMock:
    """One running `confluence-auth-mock serve` process."""

    def __init__(self, process, url, scenario_file=None):
        self.process = process
        #: `http://127.0.0.1:PORT`: the mock's origin, its admin API and its proxy.
        self.url = url
        self._scenario_file = scenario_file
        self._ca_file = None

    @classmethod
    def start(cls, scenario=None, binary=None, arguments=()):
        """Starts the executable on a free loopback port and waits for its ready line.

        `scenario`: a scenario file's path, a scenario as a dict, or None for the bundled default.
        `binary`: the executable; else $CONFLUENCE_AUTH_MOCK_BIN, else `confluence-auth-mock` on PATH.
        `arguments`: more `serve` flags (`["--admin-token", "t"]`)."""
        executable = binary or os.environ.get("CONFLUENCE_AUTH_MOCK_BIN") or shutil.which("confluence-auth-mock")
        if not executable:
            raise MockError("no confluence-auth-mock executable: pass binary=, set CONFLUENCE_AUTH_MOCK_BIN, or put it on PATH")
        written = None
        command = [executable, "serve", "--port", "0", *arguments]
        if isinstance(scenario, dict):
            handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
            json.dump(scenario, handle)
            handle.close()
            written = handle.name
            command += ["--scenario", written]
        elif scenario is not None:
            command += ["--scenario", os.fspath(scenario)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            if written:
                os.unlink(written)
            raise MockError(f"cannot run {executable}: {error.strerror}") from None
        line = process.stdout.readline().strip()
        if not line.startswith(READY):
            process.kill()
            process.wait()
            if written:
                os.unlink(written)
            raise MockError(f"confluence-auth-mock did not start: {line or process.stderr.read().strip()}")
        return cls(process, line[len(READY):], written)

    # The process

    def stop(self):
        """Stops the process (SIGTERM, as a container engine would) and removes its temporary files."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for path in (self._scenario_file, self._ca_file):
            if path and os.path.exists(path):
                os.unlink(path)
        self._scenario_file = self._ca_file = None

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.stop()

    # Addresses

    def site_url(self, name="acme"):
        """A site's base URL on the mock (`URL/site/acme`); a client appends `/wiki/…`."""
        return f"{self.url}/site/{name}"

    def gateway_url(self, site="acme"):
        """A site's base URL through the API gateway (`URL/ex/confluence/{cloudId}`)."""
        sites = {entry["name"]: entry["cloudId"] for entry in self.admin("GET", "/__admin/scenario")["sites"]}
        if site not in sites:
            raise MockError(f"the scenario has no site {site!r}; it has {', '.join(sorted(sites))}")
        return f"{self.url}/ex/confluence/{sites[site]}"

    # The admin API

    def admin(self, method, path, body=None):
        """Calls the admin API; the JSON answer, or MockError with its message."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data is not None else {})
        try:
            with _DIRECT.open(request, timeout=30) as answer:
                text = answer.read().decode()
        except urllib.error.HTTPError as error:
            raise MockError(f"{method} {path} answered {error.code}: {error.read().decode()}") from None
        return json.loads(text) if text else None

    def requests(self, **filters):
        """The journal, oldest first, filtered as `GET /__admin/requests` filters it
        (`method`, `path` glob, `principal`, `client`, `status`, `decision`, `limit`)."""
        query = urllib.parse.urlencode({name: value for name, value in filters.items() if value is not None})
        return self.admin("GET", "/__admin/requests" + (f"?{query}" if query else ""))["requests"]

    def reset(self):
        """Everything back to the scenario's start (`POST /__admin/reset`)."""
        self.admin("POST", "/__admin/reset")

    def advance_clock(self, seconds):
        """Moves the scenario clock; returns `{"now", "frozen"}`."""
        return self.admin("POST", "/__admin/clock", {"advanceSeconds": seconds})

    def add_fault(self, fault):
        """Adds a fault (a dict in the scenario format); returns its id."""
        return self.admin("POST", "/__admin/faults", fault)["ids"][0]

    def mint_token(self, **fields):
        """Mints an access token as the token endpoint would answer (`user`, `client`, `scopes`, `sites`,
        `expiresIn`, `offline`, or `serviceAccount`)."""
        return self.admin("POST", "/__admin/tokens", fields)

    def scope_advice(self, client=None, principal=None, since=None):
        """The smallest scope sets that would have allowed every request the journal holds from an OAuth
        client, app or user (`GET /__admin/scopes`): `{"classic", "granular", "connect", "operations"}`."""
        query = urllib.parse.urlencode({name: value for name, value in
                                        (("client", client), ("principal", principal), ("since", since)) if value is not None})
        return self.admin("GET", f"/__admin/scopes?{query}")

    def catalog(self):
        """Every Confluence operation the mock routes, with its scopes, permission and state (`GET /__admin/catalog`)."""
        return self.admin("GET", "/__admin/catalog")["operations"]

    # Unmodified clients

    def ca_file(self):
        """A file holding the CA certificate the proxy's certificates chain to (`GET /__admin/ca.pem`)."""
        if self._ca_file is None:
            with _DIRECT.open(self.url + "/__admin/ca.pem", timeout=30) as answer:
                pem = answer.read()
            handle = tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False)
            handle.write(pem)
            handle.close()
            self._ca_file = handle.name
        return self._ca_file

    @contextlib.contextmanager
    def proxy_env(self):
        """Sets HTTPS_PROXY and HTTP_PROXY to the mock, and REQUESTS_CA_BUNDLE, SSL_CERT_FILE and
        CURL_CA_BUNDLE to its CA, for the block; then puts every one back as it was. Loopback stays
        direct (NO_PROXY), so the admin API is reached without the proxy."""
        ca = self.ca_file()
        values = {"HTTPS_PROXY": self.url, "https_proxy": self.url, "HTTP_PROXY": self.url, "http_proxy": self.url,
                  "REQUESTS_CA_BUNDLE": ca, "SSL_CERT_FILE": ca, "CURL_CA_BUNDLE": ca,
                  "NO_PROXY": "127.0.0.1,localhost,::1", "no_proxy": "127.0.0.1,localhost,::1"}
        saved = {name: os.environ.get(name) for name in values}
        os.environ.update(values)
        try:
            yield self
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
