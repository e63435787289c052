"""Starts the real confluence-auth-mock binary for the interop tests, as a harness in any language would:
spawn `serve --port 0`, read the ready line, stop it with SIGTERM afterwards."""
import glob
import os
import signal
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary():
    candidates = glob.glob(os.path.join(ROOT, ".build", "*", "debug", "confluence-auth-mock"))
    if not candidates:
        pytest.fail("build the package first (swift build): no .build/*/debug/confluence-auth-mock")
    return max(candidates, key=os.path.getmtime)


class RunningMock:
    def __init__(self, *arguments):
        self.process = subprocess.Popen([binary(), "serve", "--port", "0", *arguments],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("confluence-auth-mock listening on "):
            self.process.kill()
            raise RuntimeError(f"mock did not start: {line!r} {self.process.stderr.read()}")
        self.base = line.rsplit(" ", 1)[1]

    def site(self, name="acme"):
        return f"{self.base}/site/{name}/wiki"

    def gateway(self, cloud_id="a436116f-02ce-4520-8fbb-7301462a1674"):
        return f"{self.base}/ex/confluence/{cloud_id}/wiki"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=10) == 0


@pytest.fixture
def mock():
    running = RunningMock()
    yield running
    running.stop()
