"""Which URLs are cognito-sync's: derived from botocore's endpoint data.

The endpoint rule set gives the host templates (plain, FIPS, dual-stack,
FIPS dual-stack) and the partitions give the DNS suffixes they are filled
with (``amazonaws.com``, ``api.aws``, ``amazonaws.com.cn`` ...), so a
partition botocore learns of is answered without a change here. The
pattern is anchored: a host that merely begins like one of these
(``cognito-sync.us-east-1.amazonaws.com.example.org``) is not the fake's.
"""

from __future__ import annotations

import re
from functools import cache

SERVICE_NAME = "cognito-sync"  # not imported from _model: that loads botocore

_SUFFIX_VARIABLES = {
    "{PartitionResult#dnsSuffix}": "dnsSuffix",
    "{PartitionResult#dualStackDnsSuffix}": "dualStackDnsSuffix",
}
#: A region is one DNS label: it cannot carry a host past the suffix.
_REGION = "[a-z0-9-]+"


def host_templates() -> set[str]:
    """The host templates of the service's endpoint rule set."""
    from botocore.loaders import create_loader  # when a request is first routed

    loader = create_loader()
    rules = loader.load_service_model(SERVICE_NAME, "endpoint-rule-set-1")
    urls: set[str] = set()
    _collect_urls(rules, urls)
    return {re.sub(r"^https?://", "", url).split("/", 1)[0] for url in urls}


def _collect_urls(node: object, urls: set[str]) -> None:
    if isinstance(node, dict):
        endpoint = node.get("endpoint")
        if isinstance(endpoint, dict) and isinstance(endpoint.get("url"), str):
            urls.add(endpoint["url"])
        for value in node.values():
            _collect_urls(value, urls)
    elif isinstance(node, list):
        for value in node:
            _collect_urls(value, urls)


def dns_suffixes() -> dict[str, set[str]]:
    """Every partition's suffix, by the rule set variable's output name."""
    from botocore.loaders import create_loader

    partitions = create_loader().load_data("partitions")["partitions"]
    return {
        output: {partition["outputs"][output] for partition in partitions}
        for output in _SUFFIX_VARIABLES.values()
    }


@cache
def url_pattern() -> re.Pattern[str]:
    """A URL (scheme, host, optional port, path and query) of cognito-sync."""
    suffixes = dns_suffixes()
    hosts = []
    for template in sorted(host_templates()):
        if "{Region}" not in template:
            continue  # a template that names no region is not a service host
        host = re.escape(template).replace(re.escape("{Region}"), _REGION)
        for variable, output in _SUFFIX_VARIABLES.items():
            alternatives = "|".join(
                re.escape(suffix) for suffix in sorted(suffixes[output], key=len)[::-1]
            )
            host = host.replace(re.escape(variable), f"(?:{alternatives})")
        hosts.append(host)
    return re.compile(
        rf"https?://(?:{'|'.join(hosts)})\.?(?::\d+)?(?:[/?#].*)?\Z",
        re.IGNORECASE | re.DOTALL,
    )
