"""The exchange's scorer: a subject's merged records -> features -> scorecard -> domain Score."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from creditbridge.domain.records import PublicRecord, Tradeline
from creditbridge.domain.report import ReasonCode, Score, ScoreBand
from creditbridge.errors import CreditBridgeError
from creditbridge.scoring.errors import InvalidModel
from creditbridge.scoring.features import FEATURE_REASONS
from creditbridge.scoring.scorecard import Reason
from creditbridge.scoring.segments import ScoringModel, model_from_json
from exchange.scoring.features import batch_features, subject_features
from exchange.scoring.inputs import (
    InquiryFact,
    SubjectFacts,
    SubjectFileLike,
    day_number,
    file_facts,
    subject_facts,
)
from exchange.scoring.wire_codes import ReportFileLike
from exchange.scoring.wire_features import report_file_features

DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.json")

_BANDS = {band.value.replace("_", " "): band for band in ScoreBand}


class ScoringModelUnavailable(CreditBridgeError):
    """The scorer's model file is missing, unreadable, or not a scorecard the exchange can use."""

    code = "scoring_model_unavailable"


class SubjectScorer:
    """Scores one subject's merged file per request (plain Python), or many at once (numpy).

    A file with no tradeline opened by the as-of date is not scored (None): there is no
    credit history to score, and a score would only echo the population average.
    """

    def __init__(self, *, scorecard: ScoringModel) -> None:
        unknown = [name for name in scorecard.names if name not in FEATURE_REASONS]
        if unknown:
            raise ScoringModelUnavailable(
                f"model {scorecard.model_version} uses characteristics the exchange does not compute: "
                + ", ".join(unknown)
            )
        self._scorecard = scorecard

    @property
    def model_version(self) -> str:
        return self._scorecard.model_version

    # -- one subject: the domain file (score) and the report's file (score_file, the report seam) ----
    def score(self, records: SubjectFileLike, *, as_of: date) -> Score | None:
        return self.score_facts(file_facts(records, as_of=as_of), as_of=as_of)

    def score_file(self, file: ReportFileLike, *, as_of: date) -> Score | None:
        """The report path: characteristics read in one pass from the stored tradelines (wire_features)."""
        features = report_file_features(file, as_of=as_of)
        if features is None:
            return None
        score, band, factors = self._scorecard.factors_one(features)
        return Score(
            score=score,
            band=_BANDS[band],
            reasons=tuple([ReasonCode(code, text, points) for code, text, points in factors]),
            model_version=self._scorecard.model_version,
        )

    def score_records(
        self,
        tradelines: Iterable[tuple[str, Tradeline]],
        public_records: Iterable[tuple[str, PublicRecord]],
        inquiries: Iterable[InquiryFact],
        *,
        as_of: date,
    ) -> Score | None:
        """Score from (furnisher_id, record) pairs and (member_id, purpose, date) inquiries."""
        facts = subject_facts(tradelines, public_records, inquiries, as_of=as_of)
        return self.score_facts(facts, as_of=as_of)

    def score_facts(self, facts: SubjectFacts, *, as_of: date) -> Score | None:
        as_of_day = day_number(as_of)
        if not any(t.opened_day <= as_of_day for t in facts.tradelines):
            return None
        result = self._scorecard.score_one(subject_features(facts, as_of_day=as_of_day))
        return self._score(result.score, result.band, result.reasons)

    # -- re-scoring: many subjects through the vectorised core --------------------------------
    def score_batch(self, subjects: Sequence[SubjectFacts], *, as_of: date) -> list[Score | None]:
        as_of_day = day_number(as_of)
        columns = batch_features(subjects, as_of_day=as_of_day).columns()
        results = self._scorecard.explain_batch(columns)
        return [
            self._score(result.score, result.band, result.reasons)
            if any(t.opened_day <= as_of_day for t in facts.tradelines)
            else None
            for facts, result in zip(subjects, results, strict=True)
        ]

    def _score(self, score: int, band: str, reasons: Sequence[Reason]) -> Score:
        return Score(
            score=score,
            band=_BANDS[band],
            reasons=tuple(ReasonCode(r.code, r.text, r.shortfall_points) for r in reasons),
            model_version=self._scorecard.model_version,
        )


def load_scorer(model_path: Path | str | None = None) -> SubjectScorer:
    """The scorer of a scorecard artefact (plain or segmented); without a path, the exchange's default."""
    path = Path(model_path) if model_path is not None else DEFAULT_MODEL_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScoringModelUnavailable(
            f"cannot read scoring model {path}: {error.strerror or error}"
        ) from error
    try:
        scorecard = model_from_json(text)
    except InvalidModel as error:
        raise ScoringModelUnavailable(f"scoring model {path} is not a valid scorecard: {error}") from error
    return SubjectScorer(scorecard=scorecard)
