"""Two-factor sign-in: who must use it, the step-up before managing members, recovery codes."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from config.asgi import application
from teams import twofactor
from teams.models import Invitation
from tests.factories import (
    PASSWORD,
    CoachGrantFactory,
    UserFactory,
    confirmed_totp_device,
    totp_code,
)

CODE = re.compile(r"<li><code>([a-z2-7]{8})</code></li>")


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _invite(client: Client, team, email: str = "new@example.org", **headers):
    url = reverse("teams:invite", kwargs={"team_slug": team.slug})
    return client.post(url, {"email": email}, **headers)


def _verify(client: Client, code: str, next_url: str = "/"):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


@pytest.fixture
def coach(team):
    return CoachGrantFactory(team=team, coach=UserFactory(email="cora@example.org")).coach


def test_a_coach_must_set_up_an_app_before_any_page(team, coach):
    client = _sign_in(coach)
    response = client.get(team.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()


def test_setting_up_the_app_shows_ten_recovery_codes_and_opens_the_pages(team, coach):
    client = _sign_in(coach)
    client.get(reverse("two_factor_setup"))
    device = coach.totpdevice_set.get()
    response = client.post(
        reverse("two_factor_setup"), {"code": totp_code(device), "next": team.get_absolute_url()}
    )
    assert len(CODE.findall(response.content.decode())) == twofactor.RECOVERY_CODE_COUNT
    assert client.get(team.get_absolute_url()).status_code == 200


def test_a_wrong_code_does_not_turn_the_app_on(team, coach):
    client = _sign_in(coach)
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "Enter the code your authenticator app shows now" in response.content.decode()
    assert not twofactor.is_on(user=coach)
    assert client.get(team.get_absolute_url()).status_code == 302


def test_whoever_has_an_app_enters_a_code_at_sign_in(team, alice):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    assert client.get(team.get_absolute_url()).url.startswith(reverse("two_factor_verify"))
    assert _verify(client, totp_code(device)).status_code == 302
    assert client.get(team.get_absolute_url()).status_code == 200


def test_the_sync_endpoint_refuses_a_session_still_owing_its_code(team, alice):
    confirmed_totp_device(alice)
    client = _sign_in(alice)
    response = client.post(
        reverse("caseload:sync", kwargs={"team_slug": team.slug}),
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_member_without_an_app_signs_in_with_a_password_alone(team, alice):
    client = _sign_in(alice)
    assert client.get(team.get_absolute_url()).status_code == 200


def test_managing_members_needs_an_app_set_up_first(team, alice):
    client = _sign_in(alice)
    response = _invite(client, team)
    assert response.url.startswith(reverse("two_factor_verify"))
    assert client.get(response.url).url.startswith(reverse("two_factor_setup"))
    assert not Invitation.objects.exists()


def test_managing_members_asks_for_a_fresh_code_and_then_goes_through(team, alice, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    members = reverse("teams:members", kwargs={"team_slug": team.slug})
    _verify(client, totp_code(device))
    twofactor_session = client.session
    twofactor.forget_verified(twofactor_session)  # the sign-in code was long ago
    twofactor_session.save()
    back = f"http://testserver{members}"
    response = _invite(client, team, HTTP_REFERER=back)
    assert response.url == f"{reverse('two_factor_verify')}?{urlencode({'next': back})}"
    assert not Invitation.objects.exists()
    time_machine.shift(timedelta(seconds=30))  # the app's next code: each code works once
    assert _verify(client, totp_code(device), members).url == members
    assert _invite(client, team).status_code == 200
    assert Invitation.objects.count() == 1


def test_the_step_up_lasts_fifteen_minutes(team, alice, time_machine, settings):
    time_machine.move_to(timezone.now(), tick=False)
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    _verify(client, totp_code(device))
    time_machine.shift(timedelta(seconds=settings.TWO_FACTOR_STEP_UP_SECONDS - 60))
    assert _invite(client, team, email="one@example.org").status_code == 200
    time_machine.shift(timedelta(seconds=120))
    assert _invite(client, team, email="two@example.org").url.startswith(
        reverse("two_factor_verify")
    )


@pytest.mark.parametrize(
    "view_name",
    [
        "teams:invite",
        "teams:role_create",
        "teams:coach_grant",
    ],
)
def test_every_member_change_asks_for_the_step_up(team, alice, view_name):
    client = _sign_in(alice)
    response = client.post(reverse(view_name, kwargs={"team_slug": team.slug}), {"email": "x@y.z"})
    assert response.url.startswith(reverse("two_factor_verify"))


def test_a_recovery_code_works_once(team, alice):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    _verify(client, totp_code(device))
    codes = CODE.findall(client.post(reverse("two_factor_recovery_codes")).content.decode())
    assert len(codes) == 10
    first = _sign_in(alice)
    assert _verify(first, codes[0].upper()).status_code == 302
    assert first.get(team.get_absolute_url()).status_code == 200
    again = _sign_in(alice)
    assert _verify(again, codes[0]).status_code == 200
    assert again.get(team.get_absolute_url()).status_code == 302
    assert StaticToken.objects.filter(device__user=alice).count() == 9


def test_new_recovery_codes_replace_the_old_ones(alice):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    _verify(client, totp_code(device))
    old = CODE.findall(client.post(reverse("two_factor_recovery_codes")).content.decode())
    new = CODE.findall(client.post(reverse("two_factor_recovery_codes")).content.decode())
    assert set(old).isdisjoint(new)
    assert _verify(_sign_in(alice), old[0]).status_code == 200


def test_wrong_codes_lock_code_entry_even_for_the_right_code(team, alice, settings):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        assert _verify(client, "123456").status_code == 200
    response = _verify(client, totp_code(device))
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(team.get_absolute_url()).status_code == 302


def test_the_lock_lifts_after_its_period(team, alice, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        _verify(client, "123456")
    time_machine.shift(timedelta(seconds=settings.TWO_FACTOR_LOCKOUT_SECONDS + 1))
    assert _verify(client, totp_code(device)).status_code == 302


def test_a_member_may_turn_it_off_after_a_fresh_code(alice):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    _verify(client, totp_code(device))
    client.post(reverse("two_factor_off"))
    assert not twofactor.is_on(user=alice)
    assert _sign_in(alice).get(reverse("two_factor")).status_code == 200


def test_a_coach_may_not_turn_it_off(coach):
    device = confirmed_totp_device(coach)
    client = _sign_in(coach)
    _verify(client, totp_code(device))
    client.post(reverse("two_factor_off"))
    assert twofactor.is_on(user=coach)


def test_the_settings_page_costs_few_queries(alice, django_assert_num_queries):
    client = _sign_in(alice)
    client.get(reverse("two_factor"))  # the session's first request loads it
    with django_assert_num_queries(5):
        assert client.get(reverse("two_factor")).status_code == 200


def test_next_never_leaves_the_site(alice):
    device = confirmed_totp_device(alice)
    client = _sign_in(alice)
    assert _verify(client, totp_code(device), "https://evil.example/").url == reverse("home")


@settings_hypothesis(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(max_size=200), next_url=st.text(max_size=200))
def test_odd_codes_and_next_urls_never_answer_5xx(alice, code, next_url):
    confirmed_totp_device(alice) if not twofactor.is_on(user=alice) else None
    client = _sign_in(alice)
    for name in ("two_factor_verify", "two_factor_setup"):
        response = client.post(reverse(name), {"code": code, "next": next_url})
        assert response.status_code < 500
        response = client.get(reverse(name), {"next": next_url})
        assert response.status_code < 500


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_session_owing_its_code_cannot_open_the_team_socket(team, alice):
    def signed_in_owing_a_code() -> str:
        confirmed_totp_device(alice)
        return _sign_in(alice).cookies[settings.SESSION_COOKIE_NAME].value

    cookie = await database_sync_to_async(signed_in_owing_a_code)()
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"origin", b"http://127.0.0.1:8000"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    communicator = WebsocketCommunicator(application, f"/ws/t/{team.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
