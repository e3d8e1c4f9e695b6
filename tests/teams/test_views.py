from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from teams import services, twofactor
from teams.models import Membership
from tests.factories import PASSWORD, CoachGrantFactory, MembershipFactory, UserFactory


def test_login_accepts_email_in_any_case(client, alice):
    response = client.post(
        reverse("login"), {"username": "ALICE@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # one team: straight to it


@pytest.mark.parametrize("email", ["alice@example.org", "nobody@example.org"])
def test_wrong_credentials_get_one_neutral_message(client, alice, email):
    response = client.post(reverse("login"), {"username": email, "password": "wrong"})
    assert "Enter a correct email address and password." in response.content.decode()


def test_home_opens_today_of_the_members_team(alice_client, team):
    response = alice_client.get(reverse("home"))
    assert response["Location"] == reverse("caseload:today", kwargs={"team_slug": team.slug})


def test_home_opens_the_team_switched_to_last_even_after_logging_out_and_in(alice, other_team):
    MembershipFactory(team=other_team, user=alice)
    client = Client()
    client.force_login(alice)
    client.get(reverse("switch_team"), {"team": other_team.slug})
    client.post(reverse("logout"))
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("caseload:today", kwargs={"team_slug": other_team.slug})


def test_home_opens_the_team_joined_first(alice, other_team):
    MembershipFactory(team=other_team, user=alice)  # Hillside sorts before Riverside
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("caseload:today", kwargs={"team_slug": "riverside"})


def test_home_ignores_a_remembered_team_one_has_left(alice_client, team, other_team):
    alice_client.cookies["patch_team"] = other_team.slug
    response = alice_client.get(reverse("home"))
    assert response["Location"] == reverse("caseload:today", kwargs={"team_slug": team.slug})


def test_home_opens_the_team_page_for_a_coach(team):
    grant = CoachGrantFactory(team=team)
    client = Client()
    client.force_login(grant.coach)
    assert client.get(reverse("home"))["Location"] == team.get_absolute_url()


def test_home_without_a_team_says_how_to_join(client, db):
    client.force_login(UserFactory())
    assert "invitation link" in client.get(reverse("home")).content.decode()


def test_favicon_is_served_from_the_site_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


def test_password_reset_sends_a_working_link(client, alice):
    client.post(reverse("password_reset"), {"email": "Alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase")


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_team_page_shows_members_and_roles(alice_client, team, bob):
    services.role_create(team=team, name="Planner", by=bob)
    page = alice_client.get(team.get_absolute_url()).content.decode()
    assert "Bob Brown" in page and "Planner" in page


def test_team_page_uses_a_fixed_number_of_queries(alice_client, team, django_assert_num_queries):
    MembershipFactory.create_batch(3, team=team)
    alice_client.get(team.get_absolute_url())
    with django_assert_num_queries(8):  # one for the ideas waiting (rounds, reviews)
        alice_client.get(team.get_absolute_url())
    MembershipFactory.create_batch(8, team=team)
    with django_assert_num_queries(8):
        alice_client.get(team.get_absolute_url())


def test_team_past_twelve_members_is_warned(alice_client, team):
    MembershipFactory.create_batch(12, team=team)
    page = alice_client.get(team.get_absolute_url()).content.decode()
    assert "at most 12" in page


def test_inviting_shows_a_link_once(alice_client, team):
    response = alice_client.post(
        reverse("teams:invite", kwargs={"team_slug": team.slug}), {"email": "dana@example.org"}
    )
    assert "/invite/" in response.content.decode()


def test_inviting_with_a_bad_email_shows_the_error_by_the_field(alice_client, team):
    response = alice_client.post(
        reverse("teams:invite", kwargs={"team_slug": team.slug}), {"email": "not-an-email"}
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter a valid email address." in page


def test_new_person_joins_through_the_invitation_page(client, team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    response = client.post(
        reverse("invitation", kwargs={"token": token}),
        {"name": "Dana Doyle", "password": "a-long-enough-passphrase"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(team=team, user__email="dana@example.org").exists()
    assert client.get(team.get_absolute_url()).status_code == 200


def test_used_invitation_shows_a_clear_page(client, team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    services.invitation_accept(token=token, name="Dana", password="a-long-enough-passphrase")
    response = client.get(reverse("invitation", kwargs={"token": token}))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_invitation_for_another_address_is_refused_with_a_clear_page(team, alice, charlie):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    client = Client()
    client.force_login(charlie)
    url = reverse("invitation", kwargs={"token": token})
    assert "sent to dana@example.org" in client.get(url).content.decode()
    response = client.post(url)
    assert "sent to dana@example.org" in response.content.decode()
    assert not Membership.objects.for_team(team).filter(user=charlie).exists()


def test_unknown_invitation_token_shows_a_clear_page(client, db):
    response = client.get(reverse("invitation", kwargs={"token": "made-up"}))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_weak_password_on_invitation_is_shown_by_the_field(client, team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    response = client.post(
        reverse("invitation", kwargs={"token": token}), {"name": "Dana", "password": "123"}
    )
    assert response.status_code == 200
    assert "acceptinvitation_password-error" in response.content.decode()


def test_hand_over_in_one_step(alice_client, team, alice, bob):
    role = services.role_create(team=team, name="Quality", by=alice)
    url = reverse("teams:role_hand_over", kwargs={"team_slug": team.slug, "role_id": role.pk})
    alice_client.post(url, {"to": bob.pk})
    assert role.holdings.get(ended_at__isnull=True).holder == bob


def test_hand_over_to_an_outsider_is_refused(alice_client, team, alice, charlie):
    role = services.role_create(team=team, name="Quality", by=alice)
    url = reverse("teams:role_hand_over", kwargs={"team_slug": team.slug, "role_id": role.pk})
    response = alice_client.post(url, {"to": charlie.pk})
    assert response.status_code == 200
    assert not role.holdings.exists()


@pytest.fixture
def grant_coach(alice_client, team, django_capture_on_commit_callbacks):
    """Post the coach form as alice; the invitation mail goes once the request commits."""

    def grant(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return alice_client.post(
                reverse("teams:coach_grant", kwargs={"team_slug": team.slug}),
                {"email": email},
                follow=True,
            )

    return grant


def test_coach_accepts_by_mail_and_then_reads_the_team(grant_coach, team):
    coach = UserFactory(email="coach@example.org")
    grant_coach("COACH@example.org")
    (message,) = mail.outbox
    assert message.to == ["coach@example.org"]
    link = re.search(r"https?://\S+", message.body).group()
    client = Client()
    client.force_login(coach)
    assert client.get(team.get_absolute_url()).status_code == 404
    client.post(link)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "you can see its pages but not change them" in page


def test_coach_grant_answers_the_same_whether_or_not_an_account_exists(grant_coach, team):
    UserFactory(email="known@example.org")
    banner = re.compile(r'notification-banner__heading">([^<]*emailed[^<]*)<')
    known = banner.findall(grant_coach("known@example.org").content.decode())
    unknown = banner.findall(grant_coach("unknown@example.org").content.decode())
    assert known == [
        "We have emailed known@example.org an invitation to coach your team. "
        "Their read-only access starts when they accept it."
    ]
    assert [text.replace("unknown@", "known@") for text in unknown] == known
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["unknown@example.org"]]


def test_new_person_accepting_a_coach_invitation_gets_read_only_access(
    client, team, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.coach_invite(
            team=team, email="new.coach@example.org", by=alice, link="<{}>".format
        )
    token = re.search(r"<(\S+)>", mail.outbox[0].body).group(1)
    client.post(
        reverse("invitation", kwargs={"token": token}),
        {"name": "Nia Coach", "password": "a-long-enough-passphrase"},
    )
    assert client.get(team.get_absolute_url()).url.startswith(reverse("two_factor_setup"))
    session = client.session
    twofactor.mark_verified(session)  # as if the coach had set up an authenticator app
    session.save()
    assert (
        "you can see its pages but not change them"
        in client.get(team.get_absolute_url()).content.decode()
    )
    assert (
        client.post(reverse("teams:role_create", kwargs={"team_slug": team.slug})).status_code
        == 404
    )


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")


def test_manifest_names_icons_and_display(client):
    manifest = client.get("/manifest.json").json()
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_offline_page_needs_no_login_and_names_nobody(alice_client):
    page = alice_client.get("/offline/").content.decode()
    assert "You are offline" in page and "Alice" not in page


def test_pages_carry_a_csp_without_inline_scripts(client):
    csp = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_csp_lets_sockets_reach_only_this_host_and_port(client):
    csp = client.get(reverse("login"), HTTP_HOST="127.0.0.1:8000")["Content-Security-Policy"]
    connect = next(part for part in csp.split(";") if "connect-src" in part)
    assert connect.split() == ["connect-src", "'self'", "ws://127.0.0.1:8000"]


def test_logout_clears_the_site_cache(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache"'


def test_switching_to_a_team_of_ones_own_goes_there(alice, other_team):
    MembershipFactory(team=other_team, user=alice)
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("switch_team"), {"team": other_team.slug})
    assert response["Location"] == reverse("caseload:today", kwargs={"team_slug": other_team.slug})


def test_switching_to_a_foreign_team_is_404(alice_client, other_team):
    response = alice_client.get(reverse("switch_team"), {"team": other_team.slug})
    assert response.status_code == 404


def test_a_member_can_record_a_colleague_as_left(alice_client, team, bob):
    membership = bob.memberships.get(team=team)
    url = reverse(
        "teams:member_leave", kwargs={"team_slug": team.slug, "membership_id": membership.pk}
    )
    assert "Bob Brown" in alice_client.get(url).content.decode()
    alice_client.post(url)
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert (
        "Bob Brown"
        in alice_client.get(
            reverse("teams:members", kwargs={"team_slug": team.slug})
        ).content.decode()
    )


def test_healthz_answers_without_login(client):
    assert client.get("/healthz").content == b"ok"
