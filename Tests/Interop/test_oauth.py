"""The 3LO dance with requests-oauthlib, Authlib (configured from the metadata documents), atlassian-python-api's oauth2 mode and PyJWT, against the mock."""
import os

import jwt
import pytest
import requests
from atlassian import Confluence
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata
from authlib.integrations.requests_client import OAuthError as AuthlibOAuthError
from oauthlib.oauth2.rfc6749.errors import AccessDeniedError, InvalidGrantError
from requests_oauthlib import OAuth2Session

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the mock serves plain HTTP on loopback
CLIENT_ID, CLIENT_SECRET = "acme-sync-client", "acme-sync-secret"
CALLBACK = "http://127.0.0.1:8765/callback"
SCOPES = ["read:page:confluence", "read:confluence-content.all", "read:me", "offline_access"]


def consent(mock, session):
    """Opens the authorization URL as a browser would and returns the redirect it is sent to."""
    url, _ = session.authorization_url(f"{mock.base}/authorize", audience="api.atlassian.com", prompt="consent")
    answer = requests.get(url, allow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_the_whole_flow_with_requests_oauthlib(mock):
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    redirect = consent(mock, session)
    token = session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=redirect)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and "refresh_token" in token

    page = session.get(f"{mock.gateway()}/api/v2/pages/1001")
    assert page.status_code == 200 and page.json()["title"] == "Runbook"
    assert session.get(f"{mock.base}/me").json()["email"] == "alice@acme.test"
    sites = session.get(f"{mock.base}/oauth/token/accessible-resources").json()
    assert [site["id"] for site in sites] == ["a436116f-02ce-4520-8fbb-7301462a1674"]

    rotated = session.refresh_token(f"{mock.base}/oauth/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert rotated["refresh_token"] != token["refresh_token"]
    assert rotated["access_token"] != token["access_token"]
    assert session.get(f"{mock.gateway()}/api/v2/pages/1001").status_code == 200

    journal = requests.get(f"{mock.base}/__admin/requests", params={"client": CLIENT_ID, "path": "/ex/*"}).json()["requests"]
    assert [(entry["auth"]["principal"], entry["auth"]["decision"]) for entry in journal] == [("5b10ac8d82e05b22cc7d4ef5", "allowed")] * 2


def test_the_access_token_verifies_against_the_jwks(mock):
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    token = session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=consent(mock, session))
    key = jwt.PyJWKClient(f"{mock.base}/.well-known/jwks.json").get_signing_key_from_jwt(token["access_token"])
    claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer="https://auth.atlassian.com")
    assert claims["sub"] == "5b10ac8d82e05b22cc7d4ef5"
    assert claims["scope"].split() == SCOPES


def test_atlassian_python_api_with_oauth2(mock):
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    token = session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=consent(mock, session))
    confluence = Confluence(url=mock.gateway(), oauth2={"client_id": CLIENT_ID, "token": token}, cloud=True)
    assert confluence.get_page_by_id("1001")["title"] == "Runbook"
    refused = confluence.get("api/v2/spaces", advanced_mode=True)
    assert refused.status_code == 401
    assert refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}


def test_authlib_configures_itself_from_the_metadata_document(mock):
    """Authlib validates both discovery documents, then runs the flow on the endpoints they name."""
    metadata = requests.get(f"{mock.base}/.well-known/oauth-authorization-server").json()
    AuthorizationServerMetadata(metadata).validate()
    OpenIDProviderMetadata(requests.get(f"{mock.base}/.well-known/openid-configuration").json()).validate()

    session = AuthlibSession(CLIENT_ID, CLIENT_SECRET, scope=" ".join(SCOPES), redirect_uri=CALLBACK,
                             token_endpoint_auth_method="client_secret_post")
    url, _ = session.create_authorization_url(metadata["authorization_endpoint"], audience="api.atlassian.com", prompt="consent")
    redirect = requests.get(url, allow_redirects=False).headers["Location"]
    token = session.fetch_token(metadata["token_endpoint"], authorization_response=redirect)
    key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(token["access_token"])
    claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer=metadata["issuer"])
    assert claims["sub"] == "5b10ac8d82e05b22cc7d4ef5"
    assert session.get(metadata["userinfo_endpoint"]).json()["email"] == "alice@acme.test"


def test_requests_oauthlib_sees_a_revoked_grant_as_invalid(mock):
    """The user removes the app's access: the gateway refuses the token and oauthlib raises on refresh."""
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    session.fetch_token(f"{mock.base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=consent(mock, session))
    revoked = requests.post(f"{mock.base}/__admin/tokens/revoke", json={"user": "alice@acme.test", "client": CLIENT_ID}).json()
    assert revoked == {"revoked": {"accessTokens": 1, "refreshTokens": 1, "codes": 0}}
    assert session.get(f"{mock.gateway()}/api/v2/pages/1001").status_code == 401
    with pytest.raises(InvalidGrantError, match="Unknown or invalid refresh token"):
        session.refresh_token(f"{mock.base}/oauth/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)



def test_a_wrong_client_secret_raises_what_confluence_makes_clients_raise(mock):
    """Cloud answers a wrong secret with 401 access_denied "Unauthorized" (docs/reference.md §8.1):
    requests-oauthlib raises AccessDeniedError and Authlib an OAuthError named access_denied."""
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    with pytest.raises(AccessDeniedError) as refused:
        session.fetch_token(f"{mock.base}/oauth/token", client_secret="wrong", authorization_response=consent(mock, session))
    assert refused.value.error == "access_denied" and refused.value.description == "Unauthorized"

    authlib = AuthlibSession(CLIENT_ID, "wrong", scope=" ".join(SCOPES), redirect_uri=CALLBACK, token_endpoint_auth_method="client_secret_post")
    url, _ = authlib.create_authorization_url(f"{mock.base}/authorize", audience="api.atlassian.com", prompt="consent")
    redirect = requests.get(url, allow_redirects=False).headers["Location"]
    with pytest.raises(AuthlibOAuthError) as denied:
        authlib.fetch_token(f"{mock.base}/oauth/token", authorization_response=redirect)
    assert denied.value.error == "access_denied" and denied.value.description == "Unauthorized"
