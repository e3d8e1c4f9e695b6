"""An enrolled team that signs what it sends."""

from __future__ import annotations

import pytest

from commons import services
from tests.commons.helpers import ATTRIBUTES, Hub


@pytest.fixture
def hub(db, client) -> Hub:
    team, key = services.team_enrol(attributes=dict(ATTRIBUTES))
    return Hub(client, team.ref, key)
