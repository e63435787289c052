"""pytest fixtures, registered through the `pytest11` entry point when the package is installed:

- `confluence_mock_server`: one mock process for the whole session (the bundled default scenario).
- `confluence_mock`: that process, reset before each test that asks for it.

The executable comes from $CONFLUENCE_AUTH_MOCK_BIN or PATH."""
import pytest

from . import ConfluenceMock


@pytest.fixture(scope="session")
def confluence_mock_server():
    """One confluence-auth-mock process for the test session."""
    with ConfluenceMock.start() as mock:
        yield mock


@pytest.fixture
def confluence_mock(confluence_mock_server):
    """The session's mock, reset to its scenario's start for this test."""
    confluence_mock_server.reset()
    return confluence_mock_server
