"""Rules of the feedback channel without HTTP: the streamed body limit, the form's code and
phone checks as properties, and the contract's date order on handling steps."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import HTTPException

from data import case_handling as ch
from data import feedback_form, feedback_store
from data.accounts import Principal
from data.case_rows import read_case, today_local
from data.db import Database
from data.values import USCC_CHARSET, uscc_check_char
from feedback.security import BodyLimit
from tests.fixtures.feedback import GOOD, load_departments

CODES = {"JH001", "JH009"}


def _run_limited(chunks: list[bytes], limit: int) -> list[int]:
    """Feed a chunked body (no Content-Length) through BodyLimit to an app reading it all."""
    read: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            read.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                return

    queue = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    async def send(message: Any) -> None:
        return None

    async def never(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("declared length is absent")

    call = BodyLimit(app, limit, never)({"type": "http", "headers": []}, receive, send)
    # a thread of its own: another test's (Playwright's) event loop may be running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, call).result()
    return read


def test_streamed_body_over_the_limit_is_cut_off() -> None:
    assert _run_limited([b"a" * 400, b"b" * 400], 1000) == [400, 400]
    with pytest.raises(HTTPException) as err:
        _run_limited([b"a" * 600, b"b" * 600, b"c" * 600], 1000)
    assert err.value.status_code == 413


def test_every_valid_uscc_passes_and_any_one_character_change_fails() -> None:
    rng = random.Random(17)
    for _ in range(300):
        first17 = "".join(rng.choice(USCC_CHARSET) for _ in range(17))
        code = first17 + uscc_check_char(first17)
        ok, errors = feedback_form.check({**GOOD, "uscc": code.lower()}, CODES)
        assert ok is not None and ok.uscc == code and not errors
        pos = rng.randrange(18)
        changed = code[:pos] + rng.choice([c for c in USCC_CHARSET if c != code[pos]]) + code[pos + 1:]
        bad, errors = feedback_form.check({**GOOD, "uscc": changed}, CODES)
        assert bad is None and "uscc" in errors


def test_phone_numbers_property() -> None:
    rng = random.Random(5)
    for _ in range(300):
        mobile = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        assert feedback_form.check({**GOOD, "phone": mobile}, CODES)[0] is not None
        assert "phone" in feedback_form.check({**GOOD, "phone": mobile[:-1]}, CODES)[1]
        assert "phone" in feedback_form.check({**GOOD, "phone": mobile + "0"}, CODES)[1]
        assert "phone" in feedback_form.check({**GOOD, "phone": "2" + mobile[1:]}, CODES)[1]


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = Database(db_url)
    load_departments(database, tmp_path / "seed")
    yield database
    database.dispose()


def test_steps_keep_the_contract_date_order(db: Database, tmp_path: Path) -> None:
    s = feedback_form.check({**GOOD, "dept_code": "JH009"}, CODES)[0]
    assert s is not None
    admin, unit = Principal("admin", "管理员", "管理员"), Principal("zj", "住建", "部门用户", "JH009")
    today = today_local()
    with db.session() as session:
        case_id = feedback_store.submit(session, s, [], tmp_path / "att").case_id
        ch.apply(session, admin, ch.Transfer(case_id, "JH009", today))
    with db.session() as session, pytest.raises(ch.CaseStepError, match=r"核实日期.*早于") as err:
        ch.apply(session, unit, ch.Verify(case_id, "属实", "事实", on=today - dt.timedelta(days=3)))
    with db.session() as session:
        row = read_case(session, case_id)
    assert row is not None and row["status"] == "已转办" and row["verified_date"] is None
    assert "核实日期：核实日期" not in str(err.value)
