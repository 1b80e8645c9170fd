"""The schema is created by Alembic on first use and matches the contract."""

from __future__ import annotations

from sqlalchemy import inspect

from data import contract
from data.db import Database
from data.frames import load_frames


def test_schema_has_every_contract_table_and_column(db: Database) -> None:
    insp = inspect(db.engine)
    names = set(insp.get_table_names())
    for spec in contract.TABLES:
        assert spec.id in names
        cols = {c["name"] for c in insp.get_columns(spec.id)}
        assert set(spec.column_ids) <= cols
        pk = insp.get_pk_constraint(spec.id)["constrained_columns"]
        assert tuple(pk) == spec.key


def test_upgrade_is_idempotent_and_at_head(db_url: str) -> None:
    first = Database(db_url)
    rev = first.current_revision()
    first.dispose()
    again = Database(db_url)
    assert again.current_revision() == rev is not None
    again.dispose()


def test_empty_database_loads_typed_empty_frames(db: Database) -> None:
    with db.session() as session:
        frames = load_frames(session)
    assert len(frames.applications) == 0
    assert str(frames.applications["submitted_at"].dtype) == "datetime64[ns]"
    assert str(frames.departments["joint_meeting"].dtype) == "bool"
