"""The team side sends to a real hub over real HTTP: the hub runs in its own daphne process
on the test database; this process is the team's server (its services, as the task runs them).
"""

from __future__ import annotations

import pytest

from insights.export import services
from insights.models import CommonsEnrolment, Sending, SendingStatus
from insights.selectors import last_closed_week
from tests.insights.export.conftest import snapshot
from tests.servers import NoSharedDatabase, free_port, server_env, start_daphne

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOKEN = "round-trip-enrol-token"


@pytest.fixture
def hub(worker_id, tmp_path, settings):
    try:
        env = server_env(worker_id)
    except NoSharedDatabase as reason:
        pytest.skip(f"the hub needs a server process on the test database: {reason}")
    env.update(COMMONS_HUB="true", COMMONS_ENROL_TOKEN=TOKEN, COMMONS_INGEST_RATE="")
    port = free_port()
    log = tmp_path / "hub.log"
    process = start_daphne(env=env, port=port, log=log)
    settings.COMMONS_URL = f"http://127.0.0.1:{port}/commons/"
    settings.COMMONS_ENROL_TOKEN = TOKEN
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    yield log
    process.terminate()
    process.wait(timeout=10)


def _latest(team) -> Sending:
    return Sending.objects.for_team(team).order_by("-revision").first()


def test_enrol_send_resend_revise_and_a_bad_key_over_real_http(team, alice, hub):
    week = last_closed_week()
    figures = snapshot(team, week=week, visits_done=120)

    services.commons_join(team=team, by=alice, region="E12000003", service_type="other")
    enrolment = CommonsEnrolment.objects.get(team=team)
    assert enrolment.org_unit.startswith("t-") and enrolment.key

    assert services.send_due() == 1, hub.read_text()[-2000:]
    first = _latest(team)
    assert first.status == SendingStatus.SENT
    assert first.response["importCount"]["imported"] > 0

    # The same revision again (a retry after a lost answer): the hub ignores it all.
    Sending.objects.filter(pk=first.pk).update(
        status=SendingStatus.WAITING, next_attempt_at=first.created_at
    )
    assert services.send_due() == 1
    again = Sending.objects.get(pk=first.pk).response["importCount"]
    assert again["imported"] == again["updated"] == 0 and again["ignored"] > 0

    # A published value changes: a new revision, which the hub takes as an update.
    figures.figures["visits"]["done"] = 140
    figures.save()
    assert services.sending_queue(team=team, week=week).revision == 2
    assert services.send_due() == 1
    assert _latest(team).response["importCount"]["updated"] > 0

    # A key the hub never issued: 401, said in plain words, and the key is dropped.
    CommonsEnrolment.objects.filter(team=team).update(key="not-the-key-the-hub-issued")
    figures.figures["visits"]["done"] = 160
    figures.save()
    services.sending_queue(team=team, week=week)
    assert services.send_due() == 0
    refused = _latest(team)
    assert refused.status == SendingStatus.FAILED and "key" in refused.last_error
    assert refused.next_attempt_at is None
    assert not CommonsEnrolment.objects.get(team=team).can_send
