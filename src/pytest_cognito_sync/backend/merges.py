"""Merged identities: what Cognito Sync does when Cognito Identity merges one
identity into another (an unauthenticated identity that logs in to an
existing account, MergeDeveloperIdentities).

The surviving (target) identity receives each of the source identity's
datasets under the name ``<datasetName>.<sourceIdentityId>``, and ListRecords
of ``<datasetName>`` for the target reports it in ``MergedDatasetNames``: the
client SDKs hand those names to their onDatasetsMerged callback, which opens
each merged dataset by name under the surviving identity, merges its records
into its own, and deletes it. A deleted merged dataset is no longer reported
(DeleteDataset: "Datasets that this dataset was merged with will no longer
report the merge").
"""

from __future__ import annotations

import itertools
from collections.abc import Container

from .state import Identity, IdentityPool

#: Dataset names are at most 128 characters (the model's constraint).
MAX_DATASET_NAME = 128


def merged_name(
    dataset_name: str, source_identity_id: str, taken: Container[str] = ()
) -> str:
    """The name a merged dataset takes under the surviving identity. A name
    that would be over 128 characters keeps its end: the source identity,
    which makes it unique, and as much of the dataset name as fits.

    A name in ``taken`` (a dataset the survivor already holds: two long names
    cut to the same start, an identity merged again after it synced anew)
    gets ``-2``, ``-3``, ... before the source identity, so that a merge
    never overwrites data."""
    suffix = f".{source_identity_id}"
    marker = ""
    for number in itertools.count(2):
        name = dataset_name[: MAX_DATASET_NAME - len(suffix) - len(marker)]
        if name + marker + suffix not in taken:
            return name + marker + suffix
        marker = f"-{number}"
    raise AssertionError("unreachable")


def merge(pool: IdentityPool, source_id: str, target_id: str) -> list[str]:
    """Move every dataset of ``source_id`` to ``target_id``; return the
    merged datasets' names."""
    source = pool.remove_identity(source_id)
    target = pool.identity(target_id)
    if source is None:
        return []
    # Datasets merged into the source earlier move on with it, and are
    # reported for the same dataset name as before.
    merged_before = {
        inner: name for name, names in source.merged.items() for inner in names
    }
    moved = []
    for name, dataset in source.datasets.items():
        new_name = merged_name(name, source_id, target.datasets)
        target.take_dataset(new_name, dataset)
        reported = target.merged.setdefault(merged_before.get(name, name), [])
        if new_name not in reported:
            reported.append(new_name)
        moved.append(new_name)
    return moved


def merged_into(identity: Identity | None, dataset_name: str) -> list[str]:
    """The merged datasets ListRecords of ``dataset_name`` reports: those
    that still exist."""
    if identity is None:
        return []
    return [
        name
        for name in identity.merged.get(dataset_name, ())
        if name in identity.datasets
    ]
