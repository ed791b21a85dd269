"""Training, scaling, batch vs one-subject scoring, reason codes and the JSON artefact."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from creditbridge.scoring.binning import NumericBinning
from creditbridge.scoring.errors import InvalidModel, InvalidTrainingData
from creditbridge.scoring.scale import ScoreScale, score_band
from creditbridge.scoring.scorecard import Characteristic, Scorecard
from creditbridge.scoring.training import ReasonStatement, train_scorecard
from creditbridge.scoring.woe import EvidenceTable


def _population(rows: int = 3000, seed: int = 7) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    utilisation = rng.uniform(0, 1.2, rows)
    inquiries = rng.poisson(1.5, rows).astype(float)
    region = rng.choice(
        np.array(["north", "south", "east", "west", "isle"]), rows, p=[0.3, 0.3, 0.2, 0.17, 0.03]
    )
    noise = rng.normal(size=rows)
    utilisation[rng.random(rows) < 0.1] = np.nan
    log_odds = -2 + 2.0 * np.nan_to_num(utilisation, nan=1.0) + 0.4 * inquiries + (region == "south") * 0.8
    bad = (rng.random(rows) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return {"utilisation": utilisation, "inquiries": inquiries, "region": region, "noise": noise}, bad


@pytest.fixture(scope="module")
def trained():
    columns, bad = _population()
    reasons = {"inquiries": ReasonStatement("N03", "Too many credit inquiries", counts_as_inquiry=True)}
    return train_scorecard(columns, bad, reasons=reasons), columns, bad


@pytest.mark.parametrize(
    ("score", "odds"),
    [(650, 20.0), (700, 40.0), (600, 10.0), (550, 5.0)],
    ids=["anchor", "+PDO", "-PDO", "-2PDO"],
)
def test_scale_anchors(score: int, odds: float) -> None:
    assert ScoreScale().odds_at(score) == pytest.approx(odds)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (350, "poor"),
        (549, "poor"),
        (550, "fair"),
        (599, "fair"),
        (600, "good"),
        (649, "good"),
        (650, "very good"),
        (699, "very good"),
        (700, "excellent"),
        (950, "excellent"),
    ],
)
def test_bands(score: int, band: str) -> None:
    assert score_band(score) == band


def test_noise_is_dropped_and_signals_kept(trained) -> None:
    result, _, _ = trained
    selected = {c.name for c in result.candidates if c.selected}
    assert selected == {"utilisation", "inquiries", "region"}
    noise = next(c for c in result.candidates if c.name == "noise")
    assert noise.information_value < 0.02 and noise.dropped_because
    assert all(c.coefficient < 0 for c in result.scorecard.characteristics)
    assert result.fit.converged


def test_higher_risk_gets_fewer_points(trained) -> None:
    result, _, _ = trained
    card = result.scorecard
    low = card.score_one({"utilisation": 0.1, "inquiries": 0, "region": "north"}).score
    high = card.score_one({"utilisation": 1.1, "inquiries": 5, "region": "south"}).score
    assert 350 <= high < low <= 950


def test_batch_and_one_subject_give_identical_points(trained) -> None:
    result, columns, _ = trained
    card = result.scorecard
    batch = card.score_batch(columns)
    received = card.points_matrix(columns)
    for row in range(0, 3000, 37):
        subject = {name: columns[name][row] for name in card.names}
        one = card.score_one(subject)
        assert one.score == batch[row]
        assert [
            c.points[s] for c, s in zip(card.characteristics, card.slots_of(subject), strict=True)
        ] == list(received[row])


def test_missing_and_unseen_values_score(trained) -> None:
    card = trained[0].scorecard
    for subject in ({}, {"utilisation": None, "inquiries": float("nan"), "region": "atlantis"}):
        assert 350 <= card.score_one(subject).score <= 950


def _manual_card(inquiry_is_fifth: bool) -> Scorecard:
    """Six one-cut characteristics; shortfalls 60, 50, 40, 30, 20, 10 for a subject at 0."""

    def characteristic(name: str, shortfall: int, inquiry: bool = False) -> Characteristic:
        return Characteristic(
            name,
            NumericBinning(cuts=(1.0,)),
            EvidenceTable((1, 1, 0), (1, 1, 0), (0, 0, 0), 0.1),
            -1.0,
            (100 - shortfall, 100, 100 - shortfall),
            f"R-{name}",
            f"text {name}",
            inquiry,
        )

    parts = [characteristic(n, s) for n, s in (("a", 60), ("b", 50), ("c", 40), ("d", 30), ("e", 20))]
    parts.append(characteristic("inquiries", 10, inquiry=inquiry_is_fifth))
    return Scorecard("test", ScoreScale(), 0.0, tuple(parts))


@pytest.mark.parametrize(
    ("inquiry_feature", "codes"),
    [(False, ["R-a", "R-b", "R-c", "R-d"]), (True, ["R-a", "R-b", "R-c", "R-d", "R-inquiries"])],
    ids=["four key factors", "inquiries added as a fifth (FCRA 609(f))"],
)
def test_reason_codes(inquiry_feature: bool, codes: list[str]) -> None:
    card = _manual_card(inquiry_feature)
    subject = dict.fromkeys(card.names, 0.0)
    reasons = card.score_one(subject).reasons
    assert [r.code for r in reasons] == codes
    assert [r.shortfall_points for r in reasons][:4] == [60, 50, 40, 30]
    assert card.score_one(dict.fromkeys(card.names, 5.0)).reasons == ()


def test_json_round_trip(trained) -> None:
    card = trained[0].scorecard
    again = Scorecard.from_json(card.to_json())
    assert again == card
    assert card.model_version.startswith("sc-")
    assert json.loads(card.to_json())["schema_version"] == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw.update(schema_version=99),
        lambda raw: raw["characteristics"][0].update(points=[1, 2]),
        lambda raw: raw["characteristics"][0].update(
            points=[p + 1 for p in raw["characteristics"][0]["points"]]
        ),
        lambda raw: raw.pop("scale"),
    ],
    ids=["other schema version", "points do not fit the bins", "points edited", "field missing"],
)
def test_bad_artefacts_are_refused(trained, tamper) -> None:
    raw = json.loads(trained[0].scorecard.to_json())
    tamper(raw)
    with pytest.raises(InvalidModel) as caught:
        Scorecard.from_json(json.dumps(raw))
    assert caught.value.code == "invalid_model"


def test_training_refuses_one_class() -> None:
    with pytest.raises(InvalidTrainingData):
        train_scorecard({"x": np.arange(10.0)}, np.zeros(10))


def test_scoring_needs_every_column(trained) -> None:
    with pytest.raises(InvalidTrainingData):
        trained[0].scorecard.score_batch({"utilisation": np.zeros(3)})


def test_points_scale_log_odds() -> None:
    # A card whose points came from the fit: score differences track ln(odds) / factor.
    scale = ScoreScale()
    assert scale.factor == pytest.approx(50 / math.log(2))
    assert scale.offset == pytest.approx(650 - scale.factor * math.log(20))
