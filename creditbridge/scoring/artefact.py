"""The scorecard as a versioned JSON artefact the exchange loads; its version hashes its content."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from typing import Any

from creditbridge.scoring.binning import Binning, CategoricalBinning, NumericBinning
from creditbridge.scoring.errors import InvalidModel
from creditbridge.scoring.scale import ScoreScale
from creditbridge.scoring.scorecard import Characteristic, Scorecard, ScoreProfile
from creditbridge.scoring.woe import EvidenceTable

SCHEMA = "creditbridge.scorecard"
SCHEMA_VERSION = 1


def _binning_to_dict(binning: Binning) -> dict[str, Any]:
    if isinstance(binning, NumericBinning):
        return {"kind": "numeric", "cuts": list(binning.cuts)}
    return {
        "kind": "categorical",
        "groups": [list(group) for group in binning.groups],
        "other_bin": binning.other_bin,
    }


def _characteristic_to_dict(c: Characteristic) -> dict[str, Any]:
    return {
        "name": c.name,
        "binning": _binning_to_dict(c.binning),
        "labels": c.binning.labels(),
        "goods": list(c.evidence.goods),
        "bads": list(c.evidence.bads),
        "woe": list(c.evidence.woe),
        "information_value": c.evidence.information_value,
        "coefficient": c.coefficient,
        "points": list(c.points),
        "reason_code": c.reason_code,
        "reason_text": c.reason_text,
        "counts_as_inquiry": c.counts_as_inquiry,
    }


def scorecard_to_dict(scorecard: Scorecard) -> dict[str, Any]:
    profile = scorecard.profile
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "model_version": scorecard.model_version,
        "scale": dataclasses.asdict(scorecard.scale),
        "intercept": scorecard.intercept,
        "characteristics": [_characteristic_to_dict(c) for c in scorecard.characteristics],
        "profile": None
        if profile is None
        else {"edges": list(profile.edges), "shares": list(profile.shares)},
    }


def content_version(scorecard: Scorecard) -> str:
    return artefact_version(scorecard_to_dict(scorecard))


def artefact_version(body: dict[str, Any]) -> str:
    """`sc-` and 16 hex digits of SHA-256 over the canonical artefact without its version."""
    canonical = json.dumps(
        body | {"model_version": ""}, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return "sc-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def with_model_version(scorecard: Scorecard) -> Scorecard:
    """The same scorecard stamped with its content version."""
    return dataclasses.replace(scorecard, model_version=content_version(scorecard))


def scorecard_to_json(scorecard: Scorecard) -> str:
    return json.dumps(scorecard_to_dict(scorecard), indent=1, allow_nan=False)


def _binning_from_dict(raw: dict[str, Any]) -> Binning:
    if raw["kind"] == "numeric":
        cuts = tuple(float(c) for c in raw["cuts"])
        if any(not math.isfinite(c) for c in cuts) or any(a >= b for a, b in itertools.pairwise(cuts)):
            raise InvalidModel("numeric cuts must be finite and strictly increasing")
        return NumericBinning(cuts=cuts)
    if raw["kind"] == "categorical":
        groups = tuple(tuple(str(c) for c in group) for group in raw["groups"])
        other = raw["other_bin"]
        if other is not None and not 0 <= int(other) < len(groups):
            raise InvalidModel("other_bin outside the groups")
        return CategoricalBinning(groups=groups, other_bin=None if other is None else int(other))
    raise InvalidModel(f"unknown binning kind {raw['kind']!r}")


def _characteristic_from_dict(raw: dict[str, Any]) -> Characteristic:
    binning = _binning_from_dict(raw["binning"])
    points = tuple(int(p) for p in raw["points"])
    evidence = EvidenceTable(
        goods=tuple(int(g) for g in raw["goods"]),
        bads=tuple(int(b) for b in raw["bads"]),
        woe=tuple(float(w) for w in raw["woe"]),
        information_value=float(raw["information_value"]),
    )
    slots = binning.n_bins + 1
    if not len(points) == len(evidence.goods) == len(evidence.bads) == len(evidence.woe) == slots:
        raise InvalidModel(f"characteristic {raw['name']!r} needs {slots} slots of points and evidence")
    return Characteristic(
        name=str(raw["name"]),
        binning=binning,
        evidence=evidence,
        coefficient=float(raw["coefficient"]),
        points=points,
        reason_code=str(raw["reason_code"]),
        reason_text=str(raw["reason_text"]),
        counts_as_inquiry=bool(raw["counts_as_inquiry"]),
    )


def scorecard_from_json(text: str) -> Scorecard:
    """Parse and validate an artefact; a tampered or foreign artefact raises InvalidModel."""
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise InvalidModel(f"malformed scorecard artefact: {error!r}") from error
    return scorecard_from_dict(raw)


def check_schema(raw: Any, schema: str, version: int) -> None:
    """InvalidModel unless the parsed artefact `raw` names this schema and version."""
    if raw.get("schema") != schema or raw.get("schema_version") != version:
        raise InvalidModel(
            f"expected {schema} schema version {version}, "
            f"got {raw.get('schema')!r} version {raw.get('schema_version')!r}"
        )


def scorecard_from_dict(raw: Any) -> Scorecard:
    """A parsed artefact, validated: a tampered or foreign one raises InvalidModel."""
    try:
        check_schema(raw, SCHEMA, SCHEMA_VERSION)
        profile = raw["profile"]
        scorecard = Scorecard(
            model_version=str(raw["model_version"]),
            scale=ScoreScale(**raw["scale"]),
            intercept=float(raw["intercept"]),
            characteristics=tuple(_characteristic_from_dict(c) for c in raw["characteristics"]),
            profile=None
            if profile is None
            else ScoreProfile(
                edges=tuple(float(e) for e in profile["edges"]),
                shares=tuple(float(s) for s in profile["shares"]),
            ),
        )
    except InvalidModel:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InvalidModel(f"malformed scorecard artefact: {error!r}") from error
    if scorecard.model_version != content_version(scorecard):
        raise InvalidModel("model_version does not match the artefact's content")
    return scorecard
