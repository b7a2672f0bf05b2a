from .instruments import Audience, Dimension, Instrument, InstrumentVersion, Question
from .quiz import QuizAttempt, QuizPage, ScorePolicy
from .responses import DimensionScore, Response, Stage
from .rules import PathRule, RuleSet

__all__ = [
    "Audience",
    "Dimension",
    "DimensionScore",
    "Instrument",
    "InstrumentVersion",
    "PathRule",
    "Question",
    "QuizAttempt",
    "QuizPage",
    "Response",
    "RuleSet",
    "ScorePolicy",
    "Stage",
]
