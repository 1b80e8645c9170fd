"""Issue 19's walls around signing in: the throttle counted atomically in the database under
parallel attempts, per account and per address with growing, capped delays; the password
policy; server-side sessions ended by sign-out, password reset and disabling."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from data import accounts, audit, sessions, throttle
from data.accounts import ADMIN, DEPT_USER, AccountError, SignIn
from data.clock import epoch
from data.db import Database
from data.passwords import PasswordRefused, check
from data.schema import CONTRACT, audit_log, auth_sessions, sign_in_throttle

GOOD = "Kx7-Harbour-Lane"
WRONG = "用户名或密码错误。"
T0 = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.session() as s:
        s.execute(insert(CONTRACT["departments"]), [
            {"dept_code": "D1", "dept_name": "区住房城乡建设局", "dept_type": "区直部门", "joint_meeting": False,
             "convener": False, "row_hash": 1}])
        accounts.add_user(s, "d1", GOOD, DEPT_USER, dept="D1", display_name="住建用户")
        accounts.add_user(s, "admin", "Qm4-Delta-River", ADMIN)
    return db


def _attempt(db: Database, password: str, at: datetime, user: str = "d1", address: str | None = None) -> SignIn:
    with db.session() as s:
        return accounts.authenticate(s, user, password, now=at, address=address)


def _parallel(db: Database, n: int, password: str, at: datetime, address: str | None = None) -> list[SignIn]:
    """``n`` threads, each with its own session, released at once against the same account."""
    barrier = threading.Barrier(n)
    results: list[SignIn | BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            outcome: SignIn | BaseException = _attempt(db, password, at, address=address)
        except BaseException as err:  # reported below, not swallowed
            outcome = err
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return [r for r in results if isinstance(r, SignIn)]


def _failures_logged(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).select_from(audit_log)
                             .where(audit_log.c.action == "登录失败")).scalar_one())


def test_parallel_wrong_passwords_are_each_counted_and_none_checked_past_the_delay(seeded: Database) -> None:
    # 24 simultaneous wrong passwords: exactly 5 are checked (4 plain refusals, the 5th starts the
    # 1-minute delay); the other 19 are refused without a password check.
    first = _parallel(seeded, 24, "wrong-password-1", T0)
    locked = "密码错误次数过多，账户已锁定，请 1 分钟后再试。"
    assert Counter(r.message for r in first) == Counter({WRONG: 4, locked: 20})
    assert _failures_logged(seeded) == 5
    # the right password is refused while the delay runs, accepted after it
    assert _attempt(seeded, GOOD, T0 + timedelta(seconds=59)).message == locked
    # a second wave after the delay: exactly one more attempt is checked, it doubles the delay
    second = _parallel(seeded, 24, "wrong-password-2", T0 + timedelta(seconds=60))
    assert Counter(r.message for r in second) == Counter({"密码错误次数过多，账户已锁定，请 2 分钟后再试。": 24})
    assert _failures_logged(seeded) == 6
    with seeded.session() as s:
        row = s.execute(select(sign_in_throttle).where(sign_in_throttle.c.key == "d1")).one()
    assert (row.failures, row.blocked_until) == (6, epoch(T0) + 60 + 120)
    assert _attempt(seeded, GOOD, T0 + timedelta(seconds=180)).ok


def test_parallel_right_and_wrong_passwords_never_exceed_the_free_attempts(seeded: Database) -> None:
    results = _parallel(seeded, 20, "wrong-password-3", T0, address="10.0.0.9")
    assert sum(r.message == WRONG for r in results) == 4
    with seeded.session() as s:
        by_address = s.execute(select(sign_in_throttle.c.failures)
                               .where(sign_in_throttle.c.kind == throttle.ADDRESS)).scalar_one()
    assert by_address == 20  # every attempt reached the address counter before the account's


def test_delays_grow_and_are_capped_at_fifteen_minutes() -> None:
    rule = throttle.ACCOUNT_RULE
    assert [rule.delay(n) for n in range(1, 12)] == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]
    assert max(rule.delay(n) for n in range(1, 10_000)) == 15 * 60
    addr = throttle.ADDRESS_RULE
    assert [addr.delay(n) for n in (20, 21, 22, 27, 28, 500)] == [0, 60, 120, 3600, 3600, 3600]


def test_the_sql_delay_is_the_rule_and_blocked_attempts_do_not_extend_it(seeded: Database) -> None:
    now = epoch(T0)
    waits = []
    with seeded.session() as s:
        for _ in range(11):
            r = throttle.reserve(s, throttle.ACCOUNT, "someone", now)
            assert r.admitted
            waits.append(r.delay)
            if r.delay:  # an attempt one second before the delay ends is refused and not counted
                refused = throttle.reserve(s, throttle.ACCOUNT, "someone", now + r.delay - 1)
                assert (refused.admitted, refused.wait) == (False, 1)
            now += r.delay
    assert waits == [throttle.ACCOUNT_RULE.delay(n) for n in range(1, 12)]
    # forgotten after a quiet day: the count starts again
    with seeded.session() as s:
        assert throttle.reserve(s, throttle.ACCOUNT, "someone", now + 24 * 3600 + 1).failures == 1


def test_unknown_user_and_wrong_password_look_the_same(seeded: Database) -> None:
    for i in range(6):
        known = _attempt(seeded, f"wrong-{i}", T0, user="d1")
        unknown = _attempt(seeded, f"wrong-{i}", T0, user="ghost")
        assert known.message == unknown.message
        assert known.message == (WRONG if i < 4 else "密码错误次数过多，账户已锁定，请 1 分钟后再试。")


def test_address_counter_limits_guessing_across_accounts(seeded: Database) -> None:
    for i in range(20):
        assert _attempt(seeded, "wrong-pass-9", T0, user=f"user{i}", address="203.0.113.7").message == WRONG
    assert _attempt(seeded, "wrong-pass-9", T0, user="user20", address="203.0.113.7").message == WRONG
    refused = _attempt(seeded, GOOD, T0 + timedelta(seconds=30), user="d1", address="203.0.113.7")
    assert refused.message == "登录尝试过于频繁，请 1 分钟后再试。"
    assert _attempt(seeded, GOOD, T0 + timedelta(seconds=30), user="d1", address="198.51.100.1").ok


def test_somebody_else_cannot_keep_a_user_out_from_the_users_own_address(seeded: Database) -> None:
    assert _attempt(seeded, GOOD, T0, address="10.1.1.5").ok  # the user's own machine
    for i in range(12):  # an attacker elsewhere keeps failing, waiting out every delay
        _attempt(seeded, f"guess-{i}", T0 + timedelta(hours=1, minutes=16 * i), address=f"10.66.0.{i}")
    later = T0 + timedelta(hours=1, minutes=16 * 11, seconds=10)
    assert "账户已锁定" in (_attempt(seeded, GOOD, later, address="10.66.0.99").message or "")
    assert _attempt(seeded, GOOD, later, address="10.1.1.5").ok


@pytest.mark.parametrize(("password", "username", "reason"), [
    ("password1", "", "至少 10 位"),
    ("12345678", "", "至少 10 位"),
    ("qwerty123", "", "至少 10 位"),
    ("123456789", "", "至少 10 位"),
    ("admin123", "", "至少 10 位"),
    ("1234567890", "", "至少两类字符"),
    ("abcdefghijkl", "", "至少两类字符"),
    ("ABCDEFGHIJKL", "", "至少两类字符"),
    ("password123", "", "过于常见"),
    ("Password2026!", "", "过于常见"),
    ("P@ssw0rd2026", "", "过于常见"),
    ("qwertyuiop1", "", "过于常见"),
    ("1qaz2wsx3edc", "", "过于常见"),
    ("woaini1314520", "", "过于常见"),
    ("zhangsan2026", "zhangsan", "用户名"),
    ("ZhangSan-2026", "zhangsan", "用户名"),
    ("liwei-admin-1", "liwei-admin-12", "用户名"),
])
def test_password_policy_refuses(password: str, username: str, reason: str) -> None:
    with pytest.raises(PasswordRefused, match=reason):
        check(password, username)


@pytest.mark.parametrize("password", [GOOD, "江海区市场准入2026", "river-Tide-27", "7Lantern&Moss"])
def test_password_policy_accepts(password: str) -> None:
    check(password, "zhangsan")


def test_weak_passwords_are_refused_through_accounts(seeded: Database) -> None:
    with seeded.session() as s, pytest.raises(AccountError, match="用户名"):
        accounts.add_user(s, "wangfang", "wangfang2026", ADMIN)
    with seeded.session() as s, pytest.raises(AccountError, match="过于常见"):
        accounts.reset_password(s, "d1", "password123")


def test_a_session_token_is_random_stored_hashed_and_checked(seeded: Database) -> None:
    a = _attempt(seeded, GOOD, T0, address="10.1.1.5")
    b = _attempt(seeded, GOOD, T0)
    assert a.token and b.token and a.token != b.token and len(a.token) >= 40
    with seeded.session() as s:
        stored = [tuple(r) for r in s.execute(select(auth_sessions)).all()]
        assert a.token not in repr(stored) and sessions.token_hash(a.token) in repr(stored)
        assert accounts.resume(s, a.token, T0 + timedelta(minutes=5)) == a.principal
        assert accounts.resume(s, a.token[:-1] + ("x" if a.token[-1] != "x" else "y"), T0) is None
        assert accounts.resume(s, None, T0) is None


def test_idle_and_absolute_expiry(seeded: Database) -> None:
    a = _attempt(seeded, GOOD, T0)
    with seeded.session() as s:
        assert accounts.resume(s, a.token, T0 + timedelta(hours=2)) is not None  # exactly 2 h idle: still on
        assert accounts.resume(s, a.token, T0 + timedelta(hours=4, seconds=1)) is None  # 2 h 0 m 1 s idle
    b = _attempt(seeded, GOOD, T0)
    with seeded.session() as s:
        for hour in range(1, 12):  # active every hour: never idle, still ends 12 h after sign-in
            assert accounts.resume(s, b.token, T0 + timedelta(hours=hour)) is not None
        assert accounts.resume(s, b.token, T0 + timedelta(hours=11, minutes=59)) is not None
        assert accounts.resume(s, b.token, T0 + timedelta(hours=12)) is None


def test_sign_out_ends_one_session_and_is_logged(seeded: Database) -> None:
    a, b = _attempt(seeded, GOOD, T0), _attempt(seeded, GOOD, T0)
    with seeded.session() as s:
        accounts.sign_out(s, a.token, T0 + timedelta(minutes=1))
    with seeded.session() as s:
        assert accounts.resume(s, a.token, T0 + timedelta(minutes=2)) is None
        assert accounts.resume(s, b.token, T0 + timedelta(minutes=2)) is not None
        assert (audit.entries(s)["action"] == "退出登录").sum() == 1


def test_password_reset_and_disabling_end_every_session_at_once(seeded: Database) -> None:
    now = datetime.now().replace(microsecond=0)  # reset/disable stamp the revocation with the clock
    tokens = [_attempt(seeded, GOOD, now).token for _ in range(3)]
    with seeded.session() as s, pytest.raises(AccountError):
        accounts.reset_password(s, "d1", "password123")  # refused: nothing changes
    with seeded.session() as s:
        assert all(accounts.resume(s, t, now) is not None for t in tokens)
        accounts.reset_password(s, "d1", "New-Quay-Lantern-8", actor="admin")
    with seeded.session() as s:
        assert all(accounts.resume(s, t, now) is None for t in tokens)
    fresh = _attempt(seeded, "New-Quay-Lantern-8", now).token
    with seeded.session() as s:
        accounts.set_active(s, "d1", False, actor="admin")
    with seeded.session() as s:
        assert accounts.resume(s, fresh, now) is None
        accounts.set_active(s, "d1", True, actor="admin")
    with seeded.session() as s:
        assert accounts.resume(s, fresh, now) is None  # enabling again does not revive old sessions


def test_forgotten_counters_are_purged_on_a_sign_in(seeded: Database) -> None:
    for i in range(3):
        _attempt(seeded, "wrong-pass-4", T0, user=f"typo{i}", address="10.2.2.2")
    _attempt(seeded, "wrong-pass-4", T0 + timedelta(hours=20), user="recent")
    assert _attempt(seeded, GOOD, T0 + timedelta(days=1, minutes=1)).ok
    with seeded.session() as s:
        keys = sorted(s.execute(select(sign_in_throttle.c.key)).scalars())
    assert keys == ["d1", "recent"]  # d1 cleared by its sign-in, "recent" still remembered
