"""The interop tests start the real confluence-auth-mock binary through the repository's Python package
(clients/python, `confluence_auth_mock`), as a Python user's tests would: `serve --port 0`, the ready
line, SIGTERM afterwards. The package's pytest fixtures (`confluence_mock`, `confluence_mock_server`)
find the binary through CONFLUENCE_AUTH_MOCK_BIN, set here."""
import glob
import os

import pytest
from confluence_auth_mock import ConfluenceMock

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary():
    candidates = glob.glob(os.path.join(ROOT, ".build", "*", "debug", "confluence-auth-mock"))
    if not candidates:
        pytest.fail("build the package first (swift build): no .build/*/debug/confluence-auth-mock")
    return max(candidates, key=os.path.getmtime)


os.environ.setdefault("CONFLUENCE_AUTH_MOCK_BIN", binary())


class RunningMock(ConfluenceMock):
    """A mock started with `serve` flags, addressed as these tests do: `base`, and the `/wiki` of a
    site or of the gateway."""

    def __init__(self, *arguments):
        started = ConfluenceMock.start(binary=binary(), arguments=arguments)
        super().__init__(started.process, started.url)
        self.base = self.url

    def site(self, name="acme"):
        return f"{self.site_url(name)}/wiki"

    def gateway(self, cloud_id="a436116f-02ce-4520-8fbb-7301462a1674"):
        return f"{self.url}/ex/confluence/{cloud_id}/wiki"

    def stop(self):
        super().stop()
        assert self.process.returncode == 0


@pytest.fixture
def mock():
    running = RunningMock()
    yield running
    running.stop()
