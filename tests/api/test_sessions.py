"""Sessions: idle and absolute expiry, revocation (log-out, password change), CSRF on every
cookie-authenticated write, no cookie fallback behind a bearer header, the cookie's exact
attributes, and the client address (the socket's, unless a trusted proxy says otherwise)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import uvicorn

from tests.api.conftest import Api, Backend, World, build_world
from tests.api.conftest import test_settings as make_settings
from tests.api.test_bad_input import assert_problem, state_of
from woundcare.api.app import create_app
from woundcare.server import uvicorn_options

COOKIE = "__Host-woundcare_session"
PDF = b"%PDF-1.4\n% synthetic document\n"


def test_password_change_revokes_the_other_sessions_only(app: Any, api: Api,
                                                         world: World) -> None:
    laptop, phone = Api(app), Api(app)
    laptop.login(world.alice)
    phone.login(world.alice)
    token = phone.http.post("/api/auth/token", json={"email": world.alice.email,
                                                     "password": world.alice.password})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    changed = api.put("/api/auth/password", json={"current_password": world.alice.password,
                                                  "new_password": "synthetic-password-2"})
    assert changed.status_code == 204, changed.text
    assert api.get("/api/auth/me").status_code == 200  # the session that changed it stays
    assert_problem(laptop.get("/api/auth/me"), 401, "session_revoked")
    assert_problem(phone.http.get("/api/auth/me", headers=bearer), 401, "session_revoked")
    # another clinician's sessions are untouched
    bob = Api(app)
    bob.login(world.bob)
    assert api.put("/api/auth/password", json={"current_password": "synthetic-password-2",
                                               "new_password": "synthetic-password-3"}
                   ).status_code == 204
    assert bob.get("/api/auth/me").status_code == 200


def test_activity_does_not_outlive_the_absolute_expiry(api: Api, world: World) -> None:
    real_clock = world.runtime.clock
    start = real_clock()
    hours = world.runtime.settings.session_absolute_hours
    try:
        elapsed = timedelta(0)
        while elapsed < timedelta(hours=hours) - timedelta(minutes=20):
            elapsed += timedelta(minutes=20)  # active every 20 minutes: never idle
            world.runtime.clock = lambda at=start + elapsed: at  # type: ignore[misc]
            assert api.get("/api/auth/me").status_code == 200, elapsed
        world.runtime.clock = lambda: start + timedelta(hours=hours, seconds=1)
        assert_problem(api.get("/api/auth/me"), 401, "session_expired")
    finally:
        world.runtime.clock = real_clock


def test_idle_expiry_counts_from_the_last_request(api: Api, world: World) -> None:
    real_clock = world.runtime.clock
    start = real_clock()
    idle = timedelta(minutes=world.runtime.settings.session_idle_minutes)
    try:
        world.runtime.clock = lambda: start + idle - timedelta(minutes=1)
        assert api.get("/api/auth/me").status_code == 200  # touched: idle starts again
        world.runtime.clock = lambda: start + 2 * idle - timedelta(minutes=2)
        assert api.get("/api/auth/me").status_code == 200
        world.runtime.clock = lambda: start + 3 * idle
        assert_problem(api.get("/api/auth/me"), 401, "session_expired")
    finally:
        world.runtime.clock = real_clock


def test_every_cookie_authenticated_write_needs_the_csrf_token(api: Api, world: World) -> None:
    case = api.fire(api.create_case(), "BEGIN")
    before = state_of(world, case)
    url = f"/api/session/{case['case_id']}"
    version = {"If-Match": f'"{case["version"]}"'}
    for response in (
        api.http.post(f"{url}/artifacts", headers=version, data={"kind": "document"},
                      files={"file": ("synthetic.pdf", PDF, "application/pdf")}),
        api.http.post(f"{url}/bio", headers=version, json={"patient": {"sex": "unspecified"}}),
        api.http.post("/api/cases", json={}),
        api.http.put("/api/auth/pin", json={"password": world.alice.password, "pin": "1234"}),
        api.http.post("/api/auth/logout"),
    ):
        assert_problem(response, 403, "csrf_failed")
    assert state_of(world, case) == before
    assert api.get("/api/auth/me").status_code == 200  # the log-out did not happen


def test_a_bearer_header_never_falls_back_to_the_cookie(api: Api, world: World) -> None:
    """A request with a (bad) bearer token is judged by that token alone: the browser's
    cookie cannot stand in for it, with or without a CSRF token."""
    for header in ("Bearer forged", "Bearer ", "Basic YWxpY2U6eA=="):
        response = api.http.post("/api/cases", json={}, headers={"Authorization": header})
        assert response.status_code == 401, (header, response.text)
    assert api.get("/api/cases").json()["total"] == 0


def test_the_session_cookie_attributes(app: Any, world: World) -> None:
    client = Api(app)
    login = client.login(world.alice)
    parts = [part.strip() for part in login.headers["set-cookie"].split(";")]
    name, _, token = parts[0].partition("=")
    assert name == COOKIE
    assert len(token) >= 43  # 256 bits, URL-safe base64
    attributes = {p.split("=", 1)[0].lower(): p.partition("=")[2] for p in parts[1:]}
    assert attributes == {"httponly": "", "secure": "", "samesite": "strict", "path": "/",
                          "max-age": str(world.runtime.settings.session_absolute_hours * 3600)}
    logout = client.post("/api/auth/logout")
    assert logout.status_code == 204
    cleared = logout.headers["set-cookie"]
    assert cleared.startswith(f'{COOKIE}=""')
    assert "Max-Age=0" in cleared


def _peer_seen(settings: Any, peer: str, forwarded: str) -> str:
    """The client address the app sees when ``peer`` connects with X-Forwarded-For."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["client"] = scope["client"]
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = uvicorn.Config(app, **uvicorn_options(settings))
    config.load()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/", "raw_path": b"/",
             "query_string": b"", "root_path": "", "server": ("127.0.0.1", 8000),
             "client": (peer, 5000), "headers": [(b"x-forwarded-for", forwarded.encode())]}

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: Any) -> None:
        return None

    import anyio

    anyio.run(config.loaded_app, scope, receive, send)
    return str(seen["client"][0])


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(tmp_path: Path) -> None:
    default = make_settings(tmp_path, "sqlite://")
    assert default.forwarded_allow_ips == ""
    assert _peer_seen(default, "127.0.0.1", "203.0.113.9") == "127.0.0.1"
    assert _peer_seen(default, "198.51.100.7", "203.0.113.9") == "198.51.100.7"
    proxied = make_settings(tmp_path, "sqlite://", forwarded_allow_ips="10.0.0.2")
    assert _peer_seen(proxied, "10.0.0.2", "203.0.113.9") == "203.0.113.9"
    assert _peer_seen(proxied, "198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_log_in_limits_count_every_attempt_per_account_and_per_client(
    tmp_path: Path, backend: Backend
) -> None:
    world = build_world(tmp_path, backend, login_max_attempts=3,
                        login_max_attempts_per_client=7)
    client = Api(create_app(world.runtime))
    alice = world.alice
    # Every attempt is counted before the password is hashed (so a parallel burst cannot
    # outrun the limit): success counts too.
    client.login(alice)
    wrong = {"email": alice.email, "password": "not-the-password"}
    statuses = [client.http.post("/api/auth/login", json=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    locked = client.http.post("/api/auth/login",
                              json={"email": alice.email, "password": alice.password})
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_rate_limited"
    assert int(locked.headers["Retry-After"]) > 0
    # Another account from the same client is not locked by Alice's failures…
    client.login(world.bob)
    # …but every attempt from the client counts against the client's own limit (7 here).
    client.login(world.bob)  # the 7th attempt from this client
    over = client.http.post("/api/auth/login",
                            json={"email": world.bob.email, "password": world.bob.password})
    assert over.status_code == 429


def test_credentials_are_judged_before_anything_else_about_the_request(
        api: Api, world: World) -> None:
    """The session is looked up in the endpoint's thread (one thread hop per request), but
    a request without a valid session still learns nothing except 401 (or 403 without the
    CSRF token): not that its body, path, query or If-Match was wrong."""
    case = api.fire(api.create_case(), "BEGIN")
    url = f"/api/session/{case['case_id']}"
    bad_body = {"patient": {"sex": 12, "nonsense": True}}
    forged = {"Authorization": "Bearer forged-token"}
    for response in (
        api.http.post(f"{url}/bio", json=bad_body, headers=forged),  # no If-Match either
        api.http.post(f"{url}/bio", json=bad_body, headers={**forged, "If-Match": '"1"'}),
        api.http.post("/api/session/not-a-uuid/bio", json=bad_body, headers=forged),
        api.http.get(f"{url}/timeline", params={"limit": 0}, headers=forged),
        api.http.post(f"{url}/bio", json=bad_body,
                      headers={**forged, "If-Match": '"1"', "Idempotency-Key": " "}),
    ):
        assert_problem(response, 401, "session_invalid")
    # the cookie without the CSRF token: 403, not the 428 for the missing If-Match
    assert_problem(api.http.post(f"{url}/bio", json=bad_body), 403, "csrf_failed")
    # with valid credentials the same mistakes get their own answers
    assert api.post(f"{url}/bio", json=bad_body).status_code == 428
    assert api.post(f"{url}/bio", case["version"], json=bad_body).status_code == 422
    assert api.get(f"{url}/timeline", params={"limit": 0}).status_code == 422
    assert api.get("/api/auth/me").status_code == 200


def test_every_served_route_looks_up_its_pending_credentials() -> None:
    """The auth dependencies hand the endpoint a pending lookup (woundcare.api.deps.PendingAuth)
    that only IncludedRoute's endpoint wrapper resolves: a router built with another route class
    would give its endpoints an unresolved lookup. Every router the app serves uses it."""
    from fastapi.routing import APIRoute

    from woundcare.api.app import ROUTERS
    from woundcare.api.routing import IncludedRoute

    routes = [route for router in ROUTERS for route in router.routes]
    assert len(routes) > 40
    plain = [route.path for route in routes
             if isinstance(route, APIRoute) and not isinstance(route, IncludedRoute)]
    assert plain == []
    unwrapped = [route.path for route in routes if isinstance(route, IncludedRoute)
                 and not getattr(route.endpoint, "_one_thread", False)]
    assert unwrapped == []
