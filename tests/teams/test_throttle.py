from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from tests.factories import PASSWORD, UserFactory


def _log_in(client: Client, email: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_thirty_wrong_passwords_lock_the_account_even_against_the_right_one(client, alice):
    for _ in range(30):
        assert _log_in(client, alice.email, "wrong").status_code == 200
    response = _log_in(client, alice.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many attempts to log in. Try again in 15 minutes" in response.content.decode()


def test_lock_counts_the_account_in_any_case_of_its_address(client, alice, settings):
    for _ in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):
        _log_in(client, alice.email.upper(), "wrong", address="192.0.2.7")
    response = _log_in(client, alice.email, PASSWORD, address="198.51.100.9")
    assert "Too many attempts" in response.content.decode()


def test_lock_lifts_after_the_lockout_time(client, alice, settings, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    for _ in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):
        _log_in(client, alice.email, "wrong")
    time_machine.shift(timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS - 60))
    assert "Try again in 1 minute" in _log_in(client, alice.email, PASSWORD).content.decode()
    time_machine.shift(timedelta(seconds=60))
    assert _log_in(client, alice.email, PASSWORD).status_code == 302


def test_one_address_guessing_across_accounts_is_locked(client, alice, settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _log_in(client, f"nobody{n}@example.org", "wrong", address="203.0.113.5")
    locked = _log_in(client, alice.email, PASSWORD, address="203.0.113.5")
    assert "Too many attempts" in locked.content.decode()
    assert _log_in(Client(), alice.email, PASSWORD, address="203.0.113.6").status_code == 302


def test_a_successful_login_clears_the_accounts_failures(client, alice, settings):
    for _ in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT - 1):
        _log_in(client, alice.email, "wrong")
    assert _log_in(client, alice.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert _log_in(client, alice.email, "wrong").status_code == 200
    assert _log_in(client, alice.email, PASSWORD).status_code == 302


def test_lock_does_not_tell_whether_the_account_exists(client, db, settings):
    for _ in range(settings.LOGIN_ACCOUNT_FAILURE_LIMIT):
        _log_in(client, "nobody@example.org", "wrong")
    assert "Too many attempts" in _log_in(client, "nobody@example.org", "x").content.decode()


def test_password_reset_mails_to_one_address_are_limited(client, db, settings):
    user = UserFactory(email="dana@example.org")
    for _ in range(settings.PASSWORD_RESET_MAILS_PER_HOUR + 3):
        response = client.post(reverse("password_reset"), {"email": user.email})
        assert response.status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR


def test_password_reset_limit_lifts_after_an_hour(client, db, settings, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    user = UserFactory(email="dana@example.org")
    for _ in range(settings.PASSWORD_RESET_MAILS_PER_HOUR + 1):
        client.post(reverse("password_reset"), {"email": user.email})
    time_machine.shift(timedelta(hours=1))
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_HOUR + 1


@settings_hypothesis(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(email=st.text(max_size=300), password=st.text(max_size=300), address=st.text(max_size=60))
def test_login_and_reset_never_answer_5xx_to_odd_input(client, db, email, password, address):
    assert _log_in(client, email, password, address=address).status_code in (200, 302)
    assert client.post(reverse("password_reset"), {"email": email}).status_code in (200, 302)
