"""The scoring core's branch of the CreditBridge error tree, each with a stable code.

CreditBridgeError
└── ScoringError                 code "scoring_error"
    ├── InvalidModel             "invalid_model"      a model artefact that does not parse or validate
    ├── InvalidTrainingData      "invalid_training_data"  a table that cannot train or be scored
    └── InvalidFeatureInput      "invalid_feature_input"  columnar records of the wrong shape
"""

from __future__ import annotations

from creditbridge.errors import CreditBridgeError


class ScoringError(CreditBridgeError):
    """Root of the scoring core's errors."""

    code = "scoring_error"


class InvalidModel(ScoringError):
    """A scorecard artefact is malformed, of another schema version, or inconsistent."""

    code = "invalid_model"


class InvalidTrainingData(ScoringError):
    """A training or scoring table is unusable (no rows, one class, unknown column...)."""

    code = "invalid_training_data"


class InvalidFeatureInput(ScoringError):
    """Columnar credit records whose arrays disagree in length or shape."""

    code = "invalid_feature_input"
