"""DescribeDataset, ListDatasets and DeleteDataset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import not_found
from .paging import bad_page, decode_page, encode_page, page_size
from .registry import Access, Context, operation
from .state import Dataset

#: Datasets per ListDatasets page when MaxResults is not given: an
#: identity's whole quota.
DEFAULT_PAGE = 20


@operation("DescribeDataset", Access.DEVELOPER_OR_OWN_IDENTITY)
def describe_dataset(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    return {"Dataset": metadata(_dataset(context, params))}


@operation("ListDatasets", Access.DEVELOPER_OR_OWN_IDENTITY)
def list_datasets(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    pool = context.pool(params["IdentityPoolId"])
    limit = page_size(params, DEFAULT_PAGE)
    identity = pool.identities.get(params["IdentityId"])
    datasets = identity.datasets if identity is not None else {}
    # At most 20 datasets per identity: sorting them is cheap.
    names = sorted(datasets)
    token = params.get("NextToken")
    if token is not None:
        after = decode_page(token)
        if not isinstance(after, str):
            raise bad_page(token)
        names = [name for name in names if name > after]
    page = names[:limit]
    answer: dict[str, Any] = {
        "Datasets": [metadata(datasets[name]) for name in page],
        "Count": len(page),
    }
    if len(names) > limit:
        answer["NextToken"] = encode_page(page[-1])
    return answer


@operation("DeleteDataset", Access.DEVELOPER_OR_OWN_IDENTITY, reads_clock=True)
def delete_dataset(context: Context, params: Mapping[str, Any]) -> dict[str, Any]:
    now = context.now
    assert now is not None  # registered with reads_clock=True
    dataset = _dataset(context, params)
    pool = context.pool(params["IdentityPoolId"])
    pool.identity(dataset.identity_id).delete_dataset(dataset.name, now)
    if pool.streaming():
        # A removal: the dataset's name and count, no records.
        context.backend.stream(
            pool,
            dataset.identity_id,
            dataset.name,
            "remove",
            (),
            dataset.sync_count,
            now,
        )
    return {"Dataset": metadata(dataset)}


def metadata(dataset: Dataset) -> dict[str, Any]:
    return {
        "IdentityId": dataset.identity_id,
        "DatasetName": dataset.name,
        "CreationDate": dataset.created,
        "LastModifiedDate": dataset.last_modified,
        "LastModifiedBy": dataset.last_modified_by,
        "DataStorage": dataset.data_storage,
        "NumRecords": dataset.num_records,
    }


def _dataset(context: Context, params: Mapping[str, Any]) -> Dataset:
    pool = context.pool(params["IdentityPoolId"])
    dataset = pool.dataset(params["IdentityId"], params["DatasetName"])
    if dataset is None:
        raise not_found(
            f"Dataset '{params['DatasetName']}' of identity {params['IdentityId']} "
            "not found"
        )
    return dataset
