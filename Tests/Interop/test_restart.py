"""Restarts with `serve --state FILE`: what a client obtained before a restart still works after it,
and a `kill -9` at any moment of a save leaves a file the next start restores."""
import json
import os
import random
import signal
import subprocess
import threading
import time

import jwt
import requests
from requests_oauthlib import OAuth2Session

from conftest import ROOT, RunningMock, binary
from test_oauth import CALLBACK, CLIENT_ID, CLIENT_SECRET, SCOPES, consent


def test_requests_oauthlib_refreshes_after_a_restart_a_token_obtained_before_it(tmp_path):
    state = str(tmp_path / "state.json")
    before = RunningMock("--state", state)
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    token = session.fetch_token(f"{before.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=consent(before, session))
    created = requests.post(f"{before.site()}/rest/api/content", auth=("alice@acme.test", "alice-api-token"),
                            json={"type": "page", "title": "Written before the restart", "space": {"key": "ENG"}})
    assert created.status_code == 200
    before.stop()  # SIGTERM: the state is saved on the way out
    assert json.load(open(state))["format"] == "confluence-auth-mock state"

    after = RunningMock("--state", state)
    try:
        key = jwt.PyJWKClient(f"{after.base}/.well-known/jwks.json").get_signing_key_from_jwt(token["access_token"])
        claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer="https://auth.atlassian.com")
        assert claims["sub"] == "5b10ac8d82e05b22cc7d4ef5", "the token verifies against the JWKS after the restart"
        assert session.get(f"{after.gateway()}/api/v2/pages/1001").status_code == 200
        rotated = session.refresh_token(f"{after.base}/oauth/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        assert rotated["refresh_token"] != token["refresh_token"]
        assert session.get(f"{after.gateway()}/api/v2/pages/1001").status_code == 200
        page = requests.get(f"{after.site()}/rest/api/content/{created.json()['id']}", auth=("alice@acme.test", "alice-api-token"))
        assert page.status_code == 200 and page.json()["title"] == "Written before the restart"
    finally:
        after.stop()


def test_a_kill_during_saves_always_leaves_a_file_that_restores(tmp_path):
    state = str(tmp_path / "state.json")
    rounds, saves = int(os.environ.get("KILL_ROUNDS", "25")), []
    for round in range(rounds):
        mock = RunningMock("--state", state)
        # Something new in every round, so every save writes a different file.
        minted = requests.post(f"{mock.base}/__admin/tokens", json={"user": "alice@acme.test", "client": CLIENT_ID})
        assert minted.status_code == 200
        # The first save makes the process's signing keys (slow in a debug build); the kill is
        # meant for the saves after it.
        assert requests.post(f"{mock.base}/__admin/state/save").status_code == 200
        stop = threading.Event()

        def save_in_a_loop():
            while not stop.is_set():
                try:
                    if requests.post(f"{mock.base}/__admin/state/save", timeout=2).status_code == 200:
                        saves.append(round)
                except requests.RequestException:
                    return

        savers = [threading.Thread(target=save_in_a_loop) for _ in range(2)]
        for saver in savers:
            saver.start()
        time.sleep(random.uniform(0.02, 0.15))
        mock.process.send_signal(signal.SIGKILL)
        mock.process.wait(timeout=10)
        stop.set()
        for saver in savers:
            saver.join()
        mock.process.stdout.close()
        mock.process.stderr.close()
        # The next start restores it, or the test fails with the mock's message.
        restored = RunningMock("--state", state)
        health = requests.get(f"{restored.base}/__admin/health").json()
        assert health["status"] == "ok", f"round {round}"
        restored.process.send_signal(signal.SIGKILL)
        restored.process.wait(timeout=10)
        restored.process.stdout.close()
        restored.process.stderr.close()
    assert len(set(saves)) > rounds // 2, "the kills came while saves were being made"
    leftovers = [name for name in os.listdir(tmp_path) if name != "state.json"]
    assert all(".tmp-" in name for name in leftovers), "only a killed save's temporary files besides the state"


def test_a_state_file_that_does_not_load_stops_the_start_and_is_left_as_it_was(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"format": "confluence-auth-mock state", "version": 1}')
    process = subprocess.run([binary(), "serve", "--port", "0", "--state", str(state)], capture_output=True, text=True, timeout=30)
    assert process.returncode == 1
    assert f"{state}: $: missing required key \"scenario\"" in process.stderr
    assert "the file is left as it is" in process.stderr
    assert state.read_text() == '{"format": "confluence-auth-mock state", "version": 1}'


def test_the_saved_scenario_serves_and_a_different_scenario_file_is_named_in_a_warning(tmp_path):
    state = str(tmp_path / "state.json")
    first = RunningMock("--state", state)
    assert requests.get(f"{first.base}/__admin/health").json()["scenario"] == "default"
    first.stop()
    assert "confluence-auth-mock: state saved to " + state in first.process.stderr.read()

    second = RunningMock("--state", state, "--scenario", os.path.join(ROOT, "scenarios", "basic-auth.json"))
    assert requests.get(f"{second.base}/__admin/health").json()["scenario"] == "default", "the saved scenario serves"
    second.stop()
    assert "confluence-auth-mock warning: the saved state holds scenario \"default\"" in second.process.stderr.read()
