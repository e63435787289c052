let usage = """
usage:
  confluence-auth-mock serve [--scenario FILE] [--host 127.0.0.1] [--port 8080]
                             [--tls-port 8443 --tls-cert certs/server.pem --tls-key certs/server-key.pem]
                             [--admin-token TOKEN | --no-admin] [--log text|json|off]
                             [--app-ca certs/ca.pem | --app-insecure] [--state FILE]
                             [--no-proxy | --proxy-ca FILE --proxy-ca-key FILE]
  confluence-auth-mock validate FILE...
  confluence-auth-mock schema
  confluence-auth-mock jwt connect --shared-secret S --issuer KEY --method GET --url URL
                             [--base-url BASE] [--subject ACCOUNT] [--ttl 180]
  confluence-auth-mock health --url URL [--ca FILE] [--timeout 5]
  confluence-auth-mock tail --url http://HOST:PORT [--json] [--admin-token TOKEN] [--ca FILE]
  confluence-auth-mock scopes --url http://HOST:PORT (--client ID | --principal ACCOUNT_ID)
                             [--since ISO-8601] [--json] [--admin-token TOKEN] [--ca FILE]
  confluence-auth-mock catalog [--markdown]
  confluence-auth-mock --help

serve      runs the mock until SIGINT or SIGTERM (default scenario: the bundled default.json);
           prints one ready line per listener: confluence-auth-mock listening on http://HOST:PORT;
           --app-ca trusts that CA (besides the system's) when calling apps' https:// hooks and
           remotes, --app-insecure accepts any certificate there; --state FILE restores the
           run-time state from FILE at start (when it exists) and saves it there on SIGINT/SIGTERM
           and on POST /__admin/state/save (docs/state.md); the HTTP port is also a proxy for
           Atlassian's hosts and the scenario's sites (CONNECT, absolute URLs), with certificates
           from the bundled test CA or --proxy-ca/--proxy-ca-key; --no-proxy turns that off
validate   checks scenario files, printing every error; exit 0 when all are valid, 1 otherwise
schema     prints the scenario format's JSON Schema
jwt        prints a Connect JWT (HS256 with a query-string hash) as Confluence would send it
health     GETs the URL (a container's health check, e.g. http://127.0.0.1:8080/__admin/health);
           exit 0 on a 2xx answer, 1 otherwise with the reason; --ca trusts that CA for https://
scopes     asks a running mock which scopes a client's (or user's) journaled requests needed:
           the smallest granular and classic sets and the Connect scope that would have allowed
           every one, then each operation called with its count; --json prints the JSON
catalog    prints the operation catalog as the mock serves it: JSON, or docs/catalog.md with
           --markdown
tail       follows a running mock's journal (GET /__admin/events) and prints one line per request:
           HH:MM:SS.mmm METHOD PATH STATUS MECHANISM PRINCIPAL DECISION REASON (scenario time, `-`
           for what is missing); --json prints each journal entry as one JSON line instead
"""
