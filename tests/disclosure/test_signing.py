from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from disclosure import signing


def test_signature_is_hmac_sha256_of_timestamp_nonce_and_body():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000.abc.{}", hashlib.sha256).hexdigest()
    assert signing.sign("k", b"{}", 1700000000, "abc") == f"sha256={expected}"


def test_verify_accepts_its_own_signature():
    signature = signing.sign("key", b"body", 1, "n")
    assert signing.verify("key", b"body", 1, "n", signature)


def test_verify_refuses_another_body_time_nonce_or_key():
    signature = signing.sign("key", b"body", 1, "n")
    assert not signing.verify("key", b"body!", 1, "n", signature)
    assert not signing.verify("key", b"body", 2, "n", signature)
    assert not signing.verify("key", b"body", 1, "m", signature)
    assert not signing.verify("other", b"body", 1, "n", signature)


def test_verify_refuses_garbage_without_raising():
    assert not signing.verify("key", b"body", 1, "n", "sha256=é\x00")
    assert not signing.verify("key", b"body", 1, "n", "")


def test_headers_carry_team_time_nonce_and_a_valid_signature():
    h = signing.headers(team="t-0123456789", key="key", body=b"x", timestamp=5)
    assert h[signing.TEAM_HEADER] == "t-0123456789"
    assert signing.verify("key", b"x", 5, h[signing.NONCE_HEADER], h[signing.SIGNATURE_HEADER])


def test_nonces_differ():
    assert signing.new_nonce() != signing.new_nonce()


def test_skew_allows_five_minutes_either_way():
    assert signing.within_skew(1000, 1300)
    assert signing.within_skew(1300, 1000)
    assert not signing.within_skew(1000, 1301)


@given(st.text(), st.binary(), st.integers(), st.text(), st.text())
def test_verify_answers_any_input_without_raising(key, body, timestamp, nonce, signature):
    assert signing.verify(key, body, timestamp, nonce, signature) in (True, False)
