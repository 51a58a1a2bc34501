"""``/api/auth``: log in (cookie or bearer token), log out, who am I, password and PIN."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from woundcare.api.concurrency import credential_work
from woundcare.api.deps import (
    INSECURE_SESSION_COOKIE,
    SESSION_COOKIE,
    AuthDep,
    CallerDep,
    ServicesDep,
    client_address,
    cookie_name,
    request_id,
)
from woundcare.api.routing import IncludedRoute
from woundcare.api.schemas import (
    LoginBody,
    LoginResponse,
    MeView,
    PasswordBody,
    PinBody,
    TokenResponse,
    problems,
)

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=IncludedRoute)


@router.post("/login", response_model=LoginResponse, responses=problems(401, 422, 429))
@credential_work
def login(body: LoginBody, request: Request, services: ServicesDep) -> JSONResponse:
    """Console log-in: sets the `__Host-woundcare_session` cookie and returns the CSRF token
    every cookie-authenticated write must send as `X-CSRF-Token`."""
    result = services.auth.login(body.email, body.password, client_address(request),
                                 request_id(request))
    response = JSONResponse({
        "clinician": result.clinician, "csrf_token": result.csrf_token,
        "idle_expires_at": result.idle_expires_at.isoformat(),
        "absolute_expires_at": result.absolute_expires_at.isoformat(),
    })
    settings = services.runtime.settings
    response.set_cookie(cookie_name(services), result.token,
                        max_age=settings.session_absolute_hours * 3600, path="/",
                        secure=settings.cookie_secure, httponly=True, samesite="strict")
    return response


@router.post("/token", response_model=TokenResponse, responses=problems(401, 422, 429))
@credential_work
def token(body: LoginBody, request: Request, services: ServicesDep) -> TokenResponse:
    """API clients: a bearer token (send `Authorization: Bearer <token>`; no CSRF needed)."""
    result = services.auth.login(body.email, body.password, client_address(request),
                                 request_id(request))
    return TokenResponse(access_token=result.token,
                         absolute_expires_at=result.absolute_expires_at)


@router.post("/logout", status_code=204, responses=problems(401, 403))
def logout(caller: CallerDep, services: ServicesDep) -> Response:
    """Revokes the session server side (the cookie is cleared too)."""
    services.auth.logout(caller)
    response = Response(status_code=204)
    for name in (SESSION_COOKIE, INSECURE_SESSION_COOKIE):
        response.delete_cookie(name, path="/", secure=name == SESSION_COOKIE, httponly=True,
                               samesite="strict")
    return response


@router.get("/me", response_model=MeView, responses=problems(401))
def me(auth: AuthDep, services: ServicesDep) -> JSONResponse:
    return JSONResponse(services.auth.me(auth))


@router.put("/password", status_code=204, responses=problems(401, 403, 422))
@credential_work
def change_password(body: PasswordBody, caller: CallerDep, services: ServicesDep) -> Response:
    services.auth.change_password(caller, body.current_password, body.new_password)
    return Response(status_code=204)


@router.put("/pin", status_code=204, responses=problems(401, 403, 422))
@credential_work
def set_pin(body: PinBody, caller: CallerDep, services: ServicesDep) -> Response:
    """Set or change the signing PIN (4-12 digits); needs the account password."""
    services.auth.set_pin(caller, body.password, body.pin)
    return Response(status_code=204)
