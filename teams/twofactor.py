"""Two-factor sign-in: an authenticator app (TOTP) and ten single-use recovery codes.

Who must use it: coaches, at every sign-in (they read the figures of every team they coach);
and anyone managing members — inviting, withdrawing an invitation, recording someone as left,
granting or revoking a coach, adding or handing over a role — who must have it on and have
entered a code within ``TWO_FACTOR_STEP_UP_SECONDS`` (the step-up). Anyone who has turned it on
is asked for a code at every sign-in. In Patch every member may manage members, so the step-up,
not the role, is where the rule bites: a nurse who never manages members may leave it off.

What the session must do next is decided once, at login, and kept in the session, so ordinary
requests cost no query. Devices are django-otp's ``TOTPDevice`` and ``StaticDevice``; wrong
codes are counted by ``teams.throttle`` (django-otp's own per-device back-off is off).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams import audit, throttle
from teams.models import User
from teams.selectors import coached_teams

PENDING = "patch_2fa_pending"  # "setup" or "verify": the sign-in is not finished until done
VERIFIED_AT = "patch_2fa_at"  # epoch seconds of the last code this session entered
SETUP, VERIFY = "setup", "verify"
RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
# Pages a session may reach before its second factor is done.
OPEN_WHILE_PENDING = frozenset(
    {
        "two_factor_setup",
        "two_factor_verify",
        "logout",
        "login",
        "session_status",
        "offline",
        "healthz",
        "service_worker",
        "favicon",
        "manifest",
    }
)


class TwoFactorError(Exception):
    """A change the rules refuse (turning it off while it is required)."""


def _epoch(now: datetime | None) -> int:
    return int((now or timezone.now()).timestamp())


def is_on(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(*, user: User) -> bool:
    """Say whether this person may not sign in without it: coaches."""
    return coached_teams(user=user).exists()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def normalise(code: str) -> str:
    """Let people type codes with spaces, hyphens or capitals, as apps and printouts show them."""
    return "".join(code.split()).replace("-", "").lower()


def device_begin(*, user: User) -> TOTPDevice:
    """Return this person's unconfirmed app, making one: the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def _recovery_codes_replace(*, user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def device_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn it on if ``code`` is from the app just set up; return the new recovery codes.

    Answer ``None`` for a wrong code (counted by the throttle, like any other code).
    """
    user = device.user
    if throttle.two_factor_locked(user_id=user.pk) or not device.verify_token(normalise(code)):
        throttle.two_factor_failed(user_id=user.pk)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=user, team=None, action="two_factor.on", obj=device)
    return _recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace every recovery code with ten new ones: the old ones stop working at once."""
    codes = _recovery_codes_replace(user=user)
    audit.record(actor=user, team=None, action="two_factor.recovery_codes")
    return codes


@transaction.atomic
def turn_off(*, user: User) -> None:
    if is_required(user=user):
        raise TwoFactorError("Coaches must keep two-factor sign-in on.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=user, team=None, action="two_factor.off")


def code_accepted(*, user: User, code: str) -> bool:
    """Check a code from the app or a recovery code (which then never works again).

    Locked (``teams.throttle``) after too many wrong codes: then even a right code is refused.
    The devices are locked while checked, so two requests cannot spend one code twice.
    """
    if throttle.two_factor_locked(user_id=user.pk):
        return False
    code = normalise(code)
    with transaction.atomic():
        devices = [
            *TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update(),
            *StaticDevice.objects.filter(user=user).select_for_update(),
        ]
        if any(device.verify_token(code) for device in devices):
            return True
    throttle.two_factor_failed(user_id=user.pk)
    return False


# --- The session ------------------------------------------------------------------------------


def on_login(sender, request: HttpRequest, user: User, **kwargs) -> None:
    """Decide what this sign-in still needs (connected to ``user_logged_in``)."""
    request.session.pop(VERIFIED_AT, None)
    if is_on(user=user):
        request.session[PENDING] = VERIFY
    elif is_required(user=user):
        request.session[PENDING] = SETUP
    else:
        request.session.pop(PENDING, None)


def mark_verified(session, *, now: datetime | None = None) -> None:
    """Record that a code was just entered: the sign-in is complete and the step-up fresh."""
    session.pop(PENDING, None)
    session[VERIFIED_AT] = _epoch(now)


def forget_verified(session) -> None:
    session.pop(VERIFIED_AT, None)


def step_up_fresh(session, *, now: datetime | None = None) -> bool:
    at = session.get(VERIFIED_AT)
    return isinstance(at, int) and _epoch(now) - at < settings.TWO_FACTOR_STEP_UP_SECONDS


def safe_next(request: HttpRequest, target: str | None, default: str | None = None) -> str:
    """Return ``target`` if it is a page of this site, else ``default`` (the home page)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("home")


def redirect_to(view_name: str, next_url: str) -> HttpResponse:
    """Redirect to a two-factor page that returns to ``next_url`` when done."""
    return redirect(f"{reverse(view_name)}?{urlencode({'next': next_url})}")


def step_up_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for a fresh code before a POST that manages members; GET pages show as usual.

    Inside ``team_view`` the way back defaults to the team's members page.

    With no fresh code the person is sent to enter one (or to set the app up first) and then
    back to the page the form was on, to press the button again.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST" or step_up_fresh(request.session):
            return view(request, *args, **kwargs)
        team = getattr(request, "team", None)
        back = reverse("teams:members", args=[team.slug]) if team else reverse("two_factor")
        back = safe_next(request, request.headers.get("Referer"), back)
        return redirect_to("two_factor_verify", back)

    return wrapper


class TwoFactorMiddleware:
    """Hold a signed-in session that still owes its second factor at the setup or code page.

    Pages redirect there; anything else (the sync endpoint, htmx) answers 403, which the
    outbox treats like a logged-out session: it keeps every mutation for later.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        pending = request.user.is_authenticated and request.session.get(PENDING)
        if not pending or request.resolver_match.view_name in OPEN_WHILE_PENDING:
            return None
        if request.method in ("GET", "HEAD"):
            page = "two_factor_setup" if pending == SETUP else "two_factor_verify"
            return redirect_to(page, request.get_full_path())
        return HttpResponseForbidden()
