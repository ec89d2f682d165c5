"""pySigma's own rule validators, minus those that download data (the ATT&CK, CAR, D3FEND and
TLP tag validators fetch their vocabularies from the network, which CI does not have)."""
from __future__ import annotations

from pathlib import Path

from sigma.collection import SigmaCollection
from sigma.rule import SigmaRule
from sigma.validation import SigmaValidator
from sigma.validators.core import validators

NEEDS_NETWORK = {"attacktag", "cartag", "cvetag", "d3_fendtag", "detection_tag", "namespace_tag", "stptag",
                 "tlptag", "tlpv1_tag", "tlpv2_tag"}


def lint(paths: list[Path]) -> list[str]:
    validator = SigmaValidator([v for name, v in validators.items() if name not in NEEDS_NETWORK])
    problems, detections = [], []
    for path in paths:
        collection = SigmaCollection.from_yaml(path.read_text(), collect_errors=True)
        for rule in collection.rules:
            problems += [f"{path.name}: {e}" for e in getattr(rule, "errors", [])]
        detections += [r for r in collection.rules if isinstance(r, SigmaRule)]
    # All at once, so the uniqueness validators (ids, titles) see the whole pack.
    for issue in validator.validate_rules(detections):
        titles = ", ".join(r.title for r in issue.rules)
        problems.append(f"{titles}: {type(issue).__name__}: {issue.description}")
    return problems
