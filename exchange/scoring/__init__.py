"""The exchange-side scorer: merged-view features of one subject (or many) scored by the shared scorecard."""

from exchange.scoring.inputs import SubjectFacts, subject_facts
from exchange.scoring.scorer import DEFAULT_MODEL_PATH, ScoringModelUnavailable, SubjectScorer, load_scorer

__all__ = [
    "DEFAULT_MODEL_PATH",
    "ScoringModelUnavailable",
    "SubjectFacts",
    "SubjectScorer",
    "load_scorer",
    "subject_facts",
]
