"""The documented Cognito Sync quotas, enforced as LimitExceededException.

From the Amazon Cognito quotas page: 20 datasets per identity, 1,024
records per dataset, 1 MB per dataset. Records counted are those holding a
value; their size is the UTF-8 bytes of key and value, as the AWS mobile
SDKs count it. Key and value lengths are the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from .._model import service_model
from ..errors import ServiceError
from ..protocol.shapes import java_length
from .patches import Change
from .state import VALUE, Dataset, Identity, value_bytes

MAX_DATASETS_PER_IDENTITY = 20
MAX_RECORDS_PER_DATASET = 1024
MAX_DATASET_BYTES = 1024 * 1024


@cache
def model_max(shape_name: str) -> int:
    return int(service_model().shape_for(shape_name).metadata["max"])


@cache
def record_max() -> tuple[int, int]:
    """The longest record key and value the model allows, in one call."""
    return model_max("RecordKey"), model_max("RecordValue")


def key_fits(key: str) -> bool:
    return 1 <= java_length(key) <= model_max("RecordKey")


def value_fits(value: str) -> bool:
    return java_length(value) <= model_max("RecordValue")


def check_new_dataset(identity: Identity | None, dataset_name: str) -> None:
    """Creating ``dataset_name`` must not take the identity past 20."""
    if identity is None or len(identity.datasets) < MAX_DATASETS_PER_IDENTITY:
        return
    raise _exceeded(
        f"Identity {identity.identity_id} already has "
        f"{MAX_DATASETS_PER_IDENTITY} datasets, the most one identity may have; "
        f"delete one before creating dataset '{dataset_name}'"
    )


def check_dataset(
    dataset: Dataset | None, dataset_name: str, changes: Sequence[Change]
) -> None:
    """After ``changes`` the dataset must stay within 1,024 records and 1 MB.

    Each quota is bounded first, and counted exactly only when the bound
    does not settle it: a change adds at most one record, and UTF-8 takes
    at most 4 bytes a character. Most syncs are far within both, and sizing
    each record written and replaced was about 6 % of what the fake spends
    on an UpdateRecords of 1,000 patches.
    """
    current = dataset.records if dataset is not None else {}
    records = dataset.num_records if dataset is not None else 0
    if records + len(changes) > MAX_RECORDS_PER_DATASET:
        for key, value, _ in changes:
            old = current.get(key)
            records += (value is not None) - (
                old is not None and old[VALUE] is not None
            )
        if records > MAX_RECORDS_PER_DATASET:
            raise _exceeded(
                f"Dataset '{dataset_name}' would hold {records} records; a dataset "
                f"may hold at most {MAX_RECORDS_PER_DATASET}"
            )
    size = dataset.data_storage if dataset is not None else 0
    # A loop, not a comprehension: one would be a function made at each call.
    written = 0
    for key, value, _ in changes:
        if value is not None:
            written += len(key) + len(value)
    if size + 4 * written <= MAX_DATASET_BYTES:
        return
    for key, value, _ in changes:
        old = current.get(key)
        old_value = old[VALUE] if old is not None else None
        size += value_bytes(key, value) - value_bytes(key, old_value)
    if size > MAX_DATASET_BYTES:
        raise _exceeded(
            f"Dataset '{dataset_name}' would hold {size} bytes; a dataset may "
            f"hold at most {MAX_DATASET_BYTES} bytes (1 MB)"
        )


def _exceeded(message: str) -> ServiceError:
    return ServiceError("LimitExceededException", message)
