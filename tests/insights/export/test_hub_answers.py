"""Whatever the hub answers, the sender records an outcome and never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.export import services
from insights.models import CommonsEnrolment, Sending, SendingStatus, WeeklySnapshot
from tests.insights.export.conftest import WEEK, snapshot

pytestmark = pytest.mark.usefixtures("now")

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
BODIES = st.dictionaries(
    st.sampled_from(["status", "importCount", "conflicts", "errors", "revision", "orgUnit", "key"]),
    JSON,
    max_size=5,
)
STATUSES = st.sampled_from([200, 201, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(status=STATUSES, body=BODIES)
def test_any_answer_to_a_sending_is_recorded(team, joined, hub, status, body):
    Sending.objects.all().delete()
    CommonsEnrolment.objects.filter(pk=joined.pk).update(key="s3cret-key-value")
    if not WeeklySnapshot.objects.for_team(team).exists():
        snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers.append(services.Answer(status, body))
    services.send_due()
    sending = Sending.objects.for_team(team).get()
    assert sending.status in {SendingStatus.SENT, SendingStatus.FAILED}
    assert (sending.status == SendingStatus.SENT) == (status == 200)
    assert len(sending.last_error) <= 500


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(status=STATUSES, body=BODIES)
def test_any_answer_to_an_enrolment_joins_or_says_why(team, alice, hub, status, body):
    CommonsEnrolment.objects.all().delete()
    hub.answers.append(services.Answer(status, body))
    try:
        services.commons_join(team=team, by=alice, region="E12000001", service_type="other")
    except services.CommonsError:
        assert not CommonsEnrolment.objects.filter(team=team, joined=True).exists()
    else:
        assert CommonsEnrolment.objects.get(team=team).org_unit == body["orgUnit"]
