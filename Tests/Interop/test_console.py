"""The web console driven in headless Chromium (selenium and chromedriver), as a developer would use it:
run an OAuth flow and a refused Connect request, read the refusal in the journal, inspect the token,
approve a pending consent and watch the client receive its code, advance the clock and see the token
expire, sign in with the admin token, and see hostile request values rendered as text.

Chromium and chromedriver come from Debian (`chromium`, `chromium-driver`). Without them these tests
are skipped on a developer's machine and fail in CI (CI set and not "false"), where the console must
be proven. With CONSOLE_SCREENSHOTS=DIR set, the journal, an explained refusal and the token inspector
are saved there as PNG files (scripts/console-screenshots.sh refreshes docs/images/ so)."""
import http.server
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from atlassian_jwt import encode_token
from requests_oauthlib import OAuth2Session

from conftest import ROOT, RunningMock

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
CLIENT_ID, CLIENT_SECRET = "acme-sync-client", "acme-sync-secret"
CLIENT_KEY, SECRET = "ck-acme", "a-shared-secret-of-32-bytes-min!"


def browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return chromium, driver


@pytest.fixture(scope="module")
def browser():
    chromium, driver_path = browser_paths()
    if not chromium or not driver_path:
        message = "headless Chromium is needed for the console's browser tests: apt-get install chromium chromium-driver"
        if os.environ.get("CI", "") not in ("", "false"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def by_css(browser, selector):
    from selenium.webdriver.common.by import By
    return browser.find_element(By.CSS_SELECTOR, selector)


def all_by_css(browser, selector):
    from selenium.webdriver.common.by import By
    return browser.find_elements(By.CSS_SELECTOR, selector)


def navigate(browser, element):
    """Clicks a link or a form's button and waits for the page it leads to."""
    from selenium.common.exceptions import WebDriverException
    old = browser.find_element("css selector", "html")
    element.click()

    def left():
        # The old page's element goes stale (or, mid-navigation, unknown to the new document).
        try:
            old.tag_name
            return False
        except WebDriverException:
            return browser.execute_script("return document.readyState") == "complete"
    wait_for(left)


def paste(browser, field, text):
    browser.execute_script("arguments[0].value = arguments[1]", field, text)


def wait_for(condition, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def screenshot(browser, name):
    folder = os.environ.get("CONSOLE_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        browser.save_screenshot(os.path.join(folder, name))


def scenario_file(change):
    with open(os.path.join(ROOT, "scenarios", "default.json")) as f:
        scenario = json.load(f)
    change(scenario)
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(scenario, handle)
    handle.close()
    return handle.name


@pytest.fixture
def frozen_mock():
    """The default scenario on a frozen clock, so a test moves time only with the console's buttons."""
    path = scenario_file(lambda s: s.update(clock={"start": "2026-03-02T09:00:00Z", "frozen": True}))
    running = RunningMock("--scenario", path)
    yield running
    running.stop()
    os.unlink(path)


def oauth_token(mock, scopes):
    session = OAuth2Session(CLIENT_ID, redirect_uri="http://127.0.0.1:8765/callback", scope=scopes)
    url, _ = session.authorization_url(f"{mock.base}/authorize", audience="api.atlassian.com", prompt="consent")
    redirect = requests.get(url, allow_redirects=False).headers["Location"]
    return session, session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=redirect)


def test_a_refused_connect_request_is_explained_and_the_oauth_token_inspected(browser, mock):
    session, token = oauth_token(mock, ["read:page:confluence", "offline_access"])
    assert session.get(f"{mock.gateway()}/api/v2/pages/1001").status_code == 200
    jwt = encode_token("DELETE", "/api/v2/pages/1001", CLIENT_KEY, SECRET)
    refused = requests.delete(f"{mock.site()}/api/v2/pages/1001", headers={"Authorization": f"JWT {jwt}"})
    assert refused.status_code == 403

    browser.get(f"{mock.base}/__admin/ui/requests")
    rows = all_by_css(browser, "#journal tbody tr")
    assert [row.find_elements("css selector", "td")[2].text for row in rows[:2]] == ["DELETE", "GET"], "newest first"
    denied = rows[0]
    assert "denied" in denied.text and "connect" in denied.text
    screenshot(browser, "console-journal.png")
    navigate(browser, denied.find_element("css selector", "a"))

    assert by_css(browser, "#scopes-missing").text == "DELETE"
    assert by_css(browser, "#failed-check").text == "scope"
    assert by_css(browser, "#status").text == "403"
    screenshot(browser, "console-refusal.png")

    browser.get(f"{mock.base}/__admin/ui/requests?principal=alice@acme.test&path=/ex/*")
    navigate(browser, all_by_css(browser, "#journal tbody tr")[0].find_element("css selector", "a"))
    navigate(browser, by_css(browser, "#inspect-token"))
    assert by_css(browser, "#token-kind").text == "oauth"
    assert by_css(browser, "#token-signature").text.startswith("valid")
    assert by_css(browser, "#token-status").text == "active"
    assert re.search(r"\(in (1h|59m \d+s)\)$", by_css(browser, "#token-expires").text)
    screenshot(browser, "console-token.png")


def test_advancing_the_clock_expires_the_token(browser, frozen_mock):
    _, token = oauth_token(frozen_mock, ["read:page:confluence"])
    browser.get(f"{frozen_mock.base}/__admin/ui/tokens")
    paste(browser, by_css(browser, "#token"), token["access_token"])
    navigate(browser, by_css(browser, "form[action='/__admin/ui/tokens'] button"))
    assert by_css(browser, "#token-status").text == "active"

    browser.get(f"{frozen_mock.base}/__admin/ui")
    before = by_css(browser, "#clock-now").text
    navigate(browser, [button for button in all_by_css(browser, "button") if button.text == "+1 hour"][0])
    assert by_css(browser, "#clock-now").text != before
    assert by_css(browser, "#clock-now").text == "2026-03-02T10:00:00.000Z"

    browser.get(f"{frozen_mock.base}/__admin/ui/tokens")
    paste(browser, by_css(browser, "#token"), token["access_token"])
    navigate(browser, by_css(browser, "form[action='/__admin/ui/tokens'] button"))
    assert by_css(browser, "#token-status").text == "expired"
    assert requests.get(f"{frozen_mock.gateway()}/api/v2/pages/1001",
                        headers={"Authorization": f"Bearer {token['access_token']}"}).status_code == 401


class Callback(http.server.BaseHTTPRequestHandler):
    """The OAuth client's redirect URI: records the query it was sent."""
    received = []

    def do_GET(self):
        if urlparse(self.path).path == "/callback":
            Callback.received.append(parse_qs(urlparse(self.path).query))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"code received")

    def log_message(self, *arguments):
        pass


def test_a_consent_approved_on_the_page_reaches_the_client(browser):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    callback = f"http://127.0.0.1:{server.server_port}/callback"

    def page_consent(scenario):
        scenario["oauthClients"][0]["consent"]["mode"] = "page"
        scenario["oauthClients"][0]["redirectUris"].append(callback)
    path = scenario_file(page_consent)
    mock = RunningMock("--scenario", path)
    try:
        session = OAuth2Session(CLIENT_ID, redirect_uri=callback, scope=["read:page:confluence"])
        url, state = session.authorization_url(f"{mock.base}/authorize", audience="api.atlassian.com", prompt="consent")
        assert requests.get(url, allow_redirects=False).status_code == 200, "the consent page: pending"

        browser.get(f"{mock.base}/__admin/ui/consents")
        form = by_css(browser, "form[data-consent]")
        assert "read:page:confluence" in form.text
        navigate(browser, [button for button in form.find_elements("css selector", "button") if button.text == "Approve"][0])
        navigate(browser, by_css(browser, "#redirect"))
        wait_for(lambda: Callback.received)
        assert "code received" in browser.page_source
        query = Callback.received[-1]
        assert query["state"] == [state]
        token = session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, code=query["code"][0])
        assert session.get(f"{mock.gateway()}/api/v2/pages/1001").status_code == 200 and token["access_token"]
        browser.get(f"{mock.base}/__admin/ui/consents")
        assert by_css(browser, "#no-consents").text == "No consent is pending."
    finally:
        mock.stop()
        server.shutdown()
        os.unlink(path)


def test_hostile_request_values_render_as_text(browser, mock):
    host, port = urlparse(mock.base).hostname, urlparse(mock.base).port
    with socket.create_connection((host, port)) as connection:
        connection.sendall(b"GET /site/acme/wiki/<script>window.pwned=1</script>?next=javascript:window.pwned=2 HTTP/1.1\r\n"
                           b"Host: " + f"{host}:{port}".encode() + b"\r\n"
                           b"X-Evil: \"><img src=x onerror=\"window.pwned=3\">\r\nConnection: close\r\n\r\n")
        while connection.recv(65536):
            pass
    for page in ("/__admin/ui/requests", "/__admin/ui/requests/1"):
        browser.get(f"{mock.base}{page}")
        assert browser.execute_script("return window.pwned") is None, page
        assert all_by_css(browser, "main img") == [] and all_by_css(browser, "main script") == [], page
        assert all_by_css(browser, "a[href^='javascript']") == [], page
    text = by_css(browser, "main").text
    assert "/site/acme/wiki/<script>window.pwned=1</script>" in text
    assert "\"><img src=x onerror=\"window.pwned=3\">" in text
    assert "javascript:window.pwned=2" in text


def test_the_journal_updates_live(browser, mock):
    browser.get(f"{mock.base}/__admin/ui/requests")
    wait_for(lambda: "Live" in by_css(browser, "#live-state").text)
    requests.get(f"{mock.site()}/rest/api/space/ENG")
    wait_for(lambda: any("/site/acme/wiki/rest/api/space/ENG" in row.text for row in all_by_css(browser, "#journal tbody tr")))


def test_the_console_signs_in_with_the_admin_token_and_works_without_javascript(browser):
    mock = RunningMock("--admin-token", "console-secret")
    try:
        browser.delete_all_cookies()
        browser.get(f"{mock.base}/__admin/ui/faults")
        assert urlparse(browser.current_url).path == "/__admin/ui/sign-in"
        by_css(browser, "input[name=token]").send_keys("wrong")
        navigate(browser, by_css(browser, "form button"))
        assert by_css(browser, "#sign-in-refused").text == "That is not this mock's admin token."
        by_css(browser, "input[name=token]").send_keys("console-secret")
        navigate(browser, by_css(browser, "form button"))
        assert urlparse(browser.current_url).path == "/__admin/ui/faults"
        cookie = browser.get_cookie("confluence-auth-mock-console")
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
        assert browser.execute_script("return document.cookie") == "", "no script can read the session"

        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        by_css(browser, "#fault-json").send_keys('{"name": "flaky", "match": {"path": "/wiki/*"}, "respond": {"status": 503}}')
        navigate(browser, by_css(browser, "form[action='/__admin/ui/faults'] button"))
        assert "flaky" in by_css(browser, "table").text
        assert requests.get(f"{mock.site()}/rest/api/space").status_code == 503
        browser.refresh()
        assert "flaky" in by_css(browser, "table").text and "1" in by_css(browser, "table tbody tr").text
        navigate(browser, [button for button in all_by_css(browser, "button") if button.text == "Remove"][0])
        assert "None in this scenario." in by_css(browser, "main").text
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        browser.delete_all_cookies()
        mock.stop()
