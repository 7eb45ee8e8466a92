"""Seeding: data a test puts in place, held to the rules the service holds
UpdateRecords to (``limits``), so a test cannot build a state the service
could never reach. Refusals are ValueError/TypeError for the test's author,
with the service's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import ServiceError
from . import limits
from .patches import Change
from .state import Dataset, IdentityPool

RECORDS_SHAPE = (
    "records must be a mapping of key (str) to value (str, or None for a "
    "removed record), like {'name': 'Ada', 'old': None}"
)


def seed_dataset(
    pool: IdentityPool,
    identity_id: str,
    dataset_name: str,
    records: Any,
    now: dt.datetime,
    by: str,
) -> None:
    """Store ``records`` as one sync of the dataset, or refuse them whole."""
    characters, all_ascii_values = check_records(records)
    identity = pool.identities.get(identity_id)
    existing = identity.datasets.get(dataset_name) if identity else None
    try:
        if existing is None:
            limits.check_new_dataset(identity, dataset_name)
        if _may_exceed(existing, len(records), characters):
            changes = [Change(key, value) for key, value in records.items()]
            limits.check_dataset(existing, dataset_name, changes)
    except ServiceError as error:
        raise ValueError(error.message) from None
    # The identity and dataset found above, not looked up again: a seed of
    # 100,000 datasets makes every call count.
    dataset = existing
    if dataset is None:
        if identity is None:
            identity = pool.identity(identity_id)
        dataset = identity.open_dataset(dataset_name, now, by)
    # Text that is all ASCII is as many UTF-8 bytes as characters: the
    # dataset need not count them again.
    dataset.seed(records, now, by, size=characters if all_ascii_values else None)


def check_records(records: Any) -> tuple[int, bool]:
    """Refuse a wrong shape or a key or value of a length the model
    forbids; return the records' length in characters, and whether every
    record has a value and all is ASCII."""
    # A dict, what seeds mostly are, spares the ABC's isinstance check.
    if type(records) is not dict and not isinstance(records, Mapping):
        kind = type(records).__name__
        raise TypeError(f"{RECORDS_SHAPE}; got a {kind}: {records!r:.200}")
    if not records:
        return 0, True
    # What seeds mostly are, str to ASCII str, checked at C speed: a join
    # fails on anything that is not a str, and an ASCII character is one
    # UTF-16 code unit, so lengths are the model's lengths.
    try:
        keys, values = "".join(records), "".join(records.values())
    except TypeError:
        return _check_each(records), False
    if not (keys.isascii() and values.isascii()):
        return _check_each(records), False
    key_max, value_max = limits.record_max()
    # Short in total means short each: the per-item pass only for long seeds.
    if (
        "" in records
        or (len(keys) > key_max and max(map(len, records)) > key_max)
        or (len(values) > value_max and max(map(len, records.values())) > value_max)
    ):
        return _check_each(records), True  # names the record
    return len(keys) + len(values), True


def _check_each(records: Mapping[Any, Any]) -> int:
    characters = 0
    for key, value in records.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str)):
            raise TypeError(f"{RECORDS_SHAPE}; got {key!r:.100}: {value!r:.100}")
        characters += len(key) + (len(value) if value is not None else 0)
        try:
            fits = limits.key_fits(key) and (value is None or limits.value_fits(value))
        except UnicodeEncodeError:
            raise ValueError(
                f"record {key!r:.100} must be valid Unicode text, key and value "
                "(no unpaired surrogates)"
            ) from None
        if not fits:
            raise ValueError(
                f"record {key!r:.100} breaks the model's lengths (UTF-16 code "
                f"units): a key is 1 to {limits.model_max('RecordKey')}, a value "
                f"at most {limits.model_max('RecordValue')}"
            )
    return characters


def _may_exceed(dataset: Dataset | None, records: int, characters: int) -> bool:
    """Whether adding these could take the dataset past a limit: a cheap
    bound (a character is at most 4 UTF-8 bytes) that spares most seeds the
    exact check."""
    held, size = (dataset.num_records, dataset.data_storage) if dataset else (0, 0)
    return (
        held + records > limits.MAX_RECORDS_PER_DATASET
        or size + 4 * characters > limits.MAX_DATASET_BYTES
    )
