"""What a message needs from a person, judged by a model trained on labelled messages.

The lexicons (``emotion``, ``topics``, ``vulnerability``, ``cues``, ``commerce``) recognise the phrasings they
list, and nothing else. This model reads the same message as a whole and gives, for each handoff reason of
CONTRACT.md §5 that a message can show by itself, the chance that a person is needed for it:
``customer_request``, ``negative_emotion``, ``sensitive_topic``, ``complex``, ``high_value``,
``vulnerable_customer`` and ``repeat_contact`` (``low_confidence`` depends on the knowledge base, not on the
message, and is left to the search). The triage policy decides what a chance means (``judged`` in
``triage/policy.yaml``).

Word 1–2-grams and character 2–5-grams within words (TF-IDF, sublinear) and the shape of the message
(capitals, exclamation and question marks, length) feed one logistic regression per reason. It is trained on
the corpus shipped in ``data/needs/`` — messages written by hand for this purpose, in Dutch and English, each
labelled with every reason that fits and with the labelling rules of ``demo/questions/TRIAGE.md`` — and, when an
organisation trains its own (``samenspel triage train``), on its labelled contacts too. Every judgement names
the words that weighed most, so it stays explainable.

Model files are joblib (pickle) files: load only files your organisation wrote itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from samenspel.errors import InvalidInput
from samenspel.types import HANDOFF_REASONS
from samenspel.understanding.emotion import LABELS
from samenspel.understanding.modelfile import read_model, write_model

logger = logging.getLogger(__name__)

# The reasons a message shows by itself: low_confidence is the knowledge base's business.
REASONS: tuple[str, ...] = tuple(r for r in HANDOFF_REASONS if r != "low_confidence")
SEGMENTS = ("standard", "vip", "business")
EMOTIONS = (*LABELS, "none")
CORPUS = Path(__file__).parent / "data" / "needs"
FORMAT_VERSION = 4
MODEL_KIND = "samenspel.needs"
# Chosen by cross-validation on the shipped corpus (`samenspel triage train --folds 5` prints it).
DEFAULT_C = 4.0
CUES_PER_REASON = 3
# Models kept in the user's cache folder (one per corpus version; several checkouts share the folder).
CACHE_KEEP = 3
_WORDS = r"(?u)\b\w+\b"
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LabelledMessage:
    """One message with the reasons a person is needed for (none: the assistant may answer)."""

    text: str
    reasons: frozenset[str]
    segment: str = "standard"
    language: str | None = None
    emotion: str | None = None
    intensity: float = 0.0
    where: str = ""


@dataclass(frozen=True)
class Needs:
    """The model's judgement of one message: a chance per reason, and the words that weighed most."""

    scores: dict[str, float]
    cues: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scores": {r: round(s, 3) for r, s in self.scores.items()},
            "cues": {r: c for r, c in self.cues.items() if c},
        }


# -- reading labelled messages ------------------------------------------------------------------------


def _labelled(raw: Any, where: str) -> LabelledMessage:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise InvalidInput(f'{where}: expected an object with a non-empty "text"')
    # Two shapes: the corpus ({"reasons", "handoff"}) and the triage question sets ({"expect": {...}}).
    expect = raw.get("expect")
    source: dict[str, Any] = expect if isinstance(expect, dict) else raw
    reasons = source.get("reasons") or []
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise InvalidInput(f'{where}: "reasons" must be a list of reason names')
    known = set(REASONS) | {"low_confidence"}
    unknown = sorted(set(reasons) - known)
    if unknown:
        raise InvalidInput(f"{where}: {unknown[0]!r} is not a handoff reason; use {', '.join(sorted(known))}")
    handoff = source.get("handoff")
    if handoff is not None and not isinstance(handoff, bool):
        raise InvalidInput(f'{where}: "handoff" must be true or false')
    if handoff is False and reasons:
        raise InvalidInput(f'{where}: "handoff" is false but reasons are given')
    if handoff is True and not reasons and source is raw:
        # (A question set's handoff without reasons means that no article answers it: low_confidence.)
        raise InvalidInput(f'{where}: "handoff" is true but no reason is given')
    customer = raw.get("customer")
    segment = (customer.get("segment") if isinstance(customer, dict) else None) or "standard"
    if segment not in SEGMENTS:
        raise InvalidInput(f"{where}: customer.segment must be one of {', '.join(SEGMENTS)}")
    emotion = raw.get("emotion")
    if emotion is not None and emotion not in EMOTIONS:
        raise InvalidInput(f"{where}: emotion must be one of {', '.join(EMOTIONS)}")
    try:
        intensity = float(raw.get("intensity") or 0.0)
    except (TypeError, ValueError):
        raise InvalidInput(f'{where}: "intensity" must be a number from 0 to 1') from None
    if not 0.0 <= intensity <= 1.0:
        raise InvalidInput(f'{where}: "intensity" must be a number from 0 to 1')
    language = raw.get("language")
    return LabelledMessage(
        text=raw["text"],
        # Whether an article answers is the knowledge base's business, not the message's.
        reasons=frozenset(r for r in reasons if r != "low_confidence"),
        segment=segment,
        language=language if isinstance(language, str) else None,
        emotion=None if emotion in (None, "none") else str(emotion),
        intensity=intensity,
        where=where,
    )


def read_messages(paths: Iterable[Path]) -> list[LabelledMessage]:
    """JSON Lines files, or folders of them. Every refusal names the file and the line."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            files.append(path)
        else:
            raise InvalidInput(f"{path}: expected a .jsonl file or a folder of them")
    messages: list[LabelledMessage] = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise InvalidInput(f"{file}: cannot read ({exc.strerror})") from None
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{file}: not UTF-8 text (byte {exc.start})") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{file}, line {number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{where}: not valid JSON: {exc.msg}") from None
            messages.append(_labelled(raw, where))
    if not messages:
        raise InvalidInput(f"no labelled messages in {', '.join(str(p) for p in paths)}")
    return messages


# -- features -----------------------------------------------------------------------------------------


# What follows this mark is for the word features only: a VIP or business customer's words, copied with the
# segment as a prefix ("zzbusiness_kapot"), so that the model learns which words weigh differently for them —
# "broken" from a business is a real problem, "what does it cost" is not — instead of one weight for the
# segment as such (Daumé 2007, "frustratingly easy domain adaptation").
_SEGMENT_MARK = "\x1f"
_SEGMENT_COPY = re.compile(r"\bzz(?:vip|business)_")


def _with_segment(text: str, segment: str) -> str:
    if segment not in ("vip", "business"):
        return text
    words = re.findall(_WORDS, text.lower())
    return f"{text} {_SEGMENT_MARK} " + " ".join(f"zz{segment}_{w}" for w in words)


def _characters(text: str) -> str:
    """The character features read the message itself, never the segment copies."""
    return str(strip_accents_unicode(text.split(_SEGMENT_MARK, 1)[0].lower()))


def _shape(text: str) -> list[float]:
    letters = _LETTERS.findall(text)
    capitals = sum(1 for c in letters if c.isupper()) / len(letters) if len(letters) >= 8 else 0.0
    words = len(_SPACE.split(text.strip())) if text.strip() else 0
    return [capitals, min(text.count("!"), 6) / 6, min(text.count("?"), 6) / 6, math.log1p(words) / 5]


class MessageShape(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """What the words do not show: shouting in capitals, exclamation and question marks, length."""

    def fit(self, texts: Sequence[str], y: Any = None) -> MessageShape:
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(np.array([_shape(text) for text in texts], dtype=np.float64))

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.str_]:
        return np.array(["shape:capitals", "shape:exclamations", "shape:questions", "shape:length"])


def message_features() -> FeatureUnion:
    """Word 1–2-grams, character 2–5-grams within words (TF-IDF, sublinear) and the message's shape."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode", token_pattern=_WORDS),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, preprocessor=_characters, min_df=2
                ),
            ),
            ("shape", MessageShape()),
        ]
    )


# -- the model ----------------------------------------------------------------------------------------


class NeedsModel:
    """Fit on labelled messages; judge new ones."""

    def __init__(self, *, c: float = DEFAULT_C) -> None:
        self.c = c
        self.features: FeatureUnion | None = None
        self.models: dict[str, LogisticRegression] = {}
        self.prior: dict[str, float] = {}
        self._word_names: NDArray[np.str_] | None = None
        self._stacked: tuple[list[str], NDArray[np.float64], NDArray[np.float64]] | None = None
        self._analysers: list[Any] | None = None
        self.trained_on = 0

    def fit(self, messages: Sequence[LabelledMessage]) -> NeedsModel:
        if len(messages) < 6:
            raise InvalidInput(f"training needs at least 6 labelled messages; got {len(messages)}")
        texts = [_with_segment(m.text, m.segment) for m in messages]
        self.features = message_features()
        x = self.features.fit_transform(texts)
        self.models = {}
        self.prior = {}
        self._stacked = None
        self._analysers = None
        for reason in REASONS:
            y = np.array([reason in m.reasons for m in messages], dtype=np.int64)
            self.prior[reason] = float(y.mean())
            if y.min() == y.max():  # no example (or only examples) of this reason: the model abstains
                continue
            # liblinear: the same fit as lbfgs here (checked on triage_dev3), in half the time.
            model = LogisticRegression(C=self.c, class_weight="balanced", solver="liblinear")
            self.models[reason] = model.fit(x, y)
        words: TfidfVectorizer = self.features.transformer_list[0][1]
        self._word_names = words.get_feature_names_out()
        self.trained_on = len(messages)
        return self

    def _stack(self) -> tuple[list[str], NDArray[np.float64], NDArray[np.float64]]:
        """The reasons' weights side by side (features × reasons), so a message is judged in one product."""
        stacked = self._stacked
        if stacked is None:
            reasons = [r for r in REASONS if r in self.models]
            width = sum(len(block) for block in self._blocks()[1]) if reasons else 0
            weights = np.column_stack([self.models[r].coef_[0] for r in reasons]) if reasons else np.zeros((width, 0))
            bias = np.array([float(self.models[r].intercept_[0]) for r in reasons])
            stacked = (reasons, weights, bias)
            self._stacked = stacked
        return stacked

    def _blocks(self) -> tuple[list[Any], list[Any]]:
        if self.features is None:
            raise RuntimeError("the needs model is not trained")
        vectorizers = [t for _, t in self.features.transformer_list if isinstance(t, TfidfVectorizer)]
        return vectorizers, [v.vocabulary_ for v in vectorizers] + [range(len(MessageShape().get_feature_names_out()))]

    def _features_of(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """One message's feature vector as (indices, values), the same numbers as ``features.transform`` gives,
        without its per-call overhead (a chat message is judged on its own, while the customer waits)."""
        vectorizers, _ = self._blocks()
        if self._analysers is None:
            self._analysers = [v.build_analyzer() for v in vectorizers]
        indices: list[NDArray[np.int64]] = []
        values: list[NDArray[np.float64]] = []
        offset = 0
        for vectorizer, analyse in zip(vectorizers, self._analysers, strict=True):
            vocabulary = vectorizer.vocabulary_
            counts = Counter(j for j in (vocabulary.get(term) for term in analyse(text)) if j is not None)
            if counts:
                ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
                weight = tf * vectorizer.idf_[ids]
                weight /= np.linalg.norm(weight) or 1.0
                indices.append(ids + offset)
                values.append(weight)
            offset += len(vocabulary)
        shape = np.array(_shape(text))
        indices.append(np.arange(offset, offset + len(shape), dtype=np.int64))
        values.append(shape)
        return np.concatenate(indices), np.concatenate(values)

    def _chances(self, x: Any) -> dict[str, NDArray[np.float64]]:
        reasons, weights, bias = self._stack()
        z = np.asarray(x @ weights) + bias
        chances = 1 / (1 + np.exp(-z))
        out = {reason: chances[:, k] for k, reason in enumerate(reasons)}
        for reason in REASONS:
            out.setdefault(reason, np.full(x.shape[0], self.prior.get(reason, 0.0)))
        return out

    def probabilities(
        self, texts: Sequence[str], segments: Sequence[str] | None = None
    ) -> dict[str, NDArray[np.float64]]:
        if self.features is None:
            raise RuntimeError("the needs model is not trained")
        segments = segments or ["standard"] * len(texts)
        return self._chances(
            self.features.transform([_with_segment(t, s) for t, s in zip(texts, segments, strict=True)])
        )

    def judge(self, text: str, segment: str = "standard") -> Needs:
        reasons, weights, bias = self._stack()
        ids, values = self._features_of(_with_segment(text, segment))
        z = values @ weights[ids] + bias
        chances = dict(zip(reasons, (float(c) for c in 1 / (1 + np.exp(-z))), strict=True))
        names = self._word_names
        width = len(names) if names is not None else 0
        cues: dict[str, list[str]] = {}
        for k, reason in enumerate(reasons):
            if chances[reason] < 0.5 or names is None:
                continue
            # The customer's own words that pushed hardest towards this reason.
            pushes = values * weights[ids, k]
            order = np.argsort(-pushes)
            words = (_SEGMENT_COPY.sub("", str(names[ids[i]])) for i in order if ids[i] < width and pushes[i] > 0)
            # Only cues that say something: "overleden", "mijn moeder", not "ik" or "en ik".
            telling = (w for w in words if any(part not in _function_words() for part in w.split()))
            cues[reason] = list(dict.fromkeys(telling))[:CUES_PER_REASON]
        scores = {r: chances.get(r, self.prior.get(r, 0.0)) for r in REASONS}
        return Needs(scores, cues)

    # -- files ------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        write_model(path, MODEL_KIND, FORMAT_VERSION, {"model": self})


@dataclass(frozen=True)
class ReasonScore:
    reason: str
    support: int
    precision: float
    recall: float
    auc: float


def cross_validate(messages: Sequence[LabelledMessage], *, folds: int = 5, c: float = DEFAULT_C) -> list[ReasonScore]:
    """Per reason: precision and recall at a chance of 0.5, and ROC AUC, from out-of-fold judgements."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import KFold

    held_out = {r: np.zeros(len(messages)) for r in REASONS}
    splitter = KFold(n_splits=folds, shuffle=True, random_state=7)
    for train, test in splitter.split(np.arange(len(messages))):
        model = NeedsModel(c=c).fit([messages[i] for i in train])
        found = model.probabilities([messages[i].text for i in test], [messages[i].segment for i in test])
        for reason in REASONS:
            held_out[reason][test] = found[reason]
    rows = []
    for reason in REASONS:
        truth = np.array([reason in m.reasons for m in messages])
        given = held_out[reason] >= 0.5
        both = int((truth & given).sum())
        auc = float(roc_auc_score(truth, held_out[reason])) if 0 < truth.sum() < len(truth) else float("nan")
        rows.append(
            ReasonScore(
                reason,
                int(truth.sum()),
                both / int(given.sum()) if given.any() else 0.0,
                both / int(truth.sum()) if truth.any() else 0.0,
                auc,
            )
        )
    return rows


def load_model(path: Path) -> NeedsModel:
    payload = read_model(path, MODEL_KIND, FORMAT_VERSION, what="needs model", command="samenspel triage train")
    model = payload.get("model")
    if not isinstance(model, NeedsModel):
        raise InvalidInput(f"{path}: not a Samenspel needs model")
    return model


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl"))


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from samenspel.knowledge.text import stopwords

    return stopwords("nl") | stopwords("en")


@lru_cache(maxsize=1)
def _corpus_fingerprint() -> str:
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{sklearn.__version__}:{DEFAULT_C}".encode())
    for file in corpus_files():
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


_TRAINED: dict[str, NeedsModel] = {}


def _cache_dirs(data_dir: Path | None) -> list[Path]:
    """Where the model trained on the shipped corpus is kept between runs: the data dir, and the user's cache
    folder (so that every new data dir, and every test, does not train it again)."""
    dirs = [data_dir] if data_dir is not None and data_dir.is_dir() else []
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    dirs.append(Path(base) / "samenspel")
    return dirs


def is_ready(data_dir: Path | None = None) -> bool:
    """Whether the model trained on the shipped corpus is at hand (in this process or on disk), so that using
    it does not first train it."""
    fingerprint = _corpus_fingerprint()
    return fingerprint in _TRAINED or any(
        (folder / f"needs-{fingerprint}.joblib").exists() for folder in _cache_dirs(data_dir)
    )


def shipped_model(data_dir: Path | None = None) -> NeedsModel:
    """The model trained on the shipped corpus: once per process, and kept on disk (``_cache_dirs``) between
    runs, trained again only when the corpus, this module's format or scikit-learn changes."""
    fingerprint = _corpus_fingerprint()
    if fingerprint in _TRAINED:
        return _TRAINED[fingerprint]
    name = f"needs-{fingerprint}.joblib"
    dirs = _cache_dirs(data_dir)
    model: NeedsModel | None = None
    for folder in dirs:
        if (folder / name).exists():
            try:
                model = load_model(folder / name)
                break
            except InvalidInput:
                logger.warning("needs.cache.unreadable path=%s", folder / name)
    if model is None:
        started = time.perf_counter()
        logger.info("needs.training corpus=%s (once; kept in %s)", CORPUS, ", ".join(str(d) for d in dirs))
        model = NeedsModel().fit(read_messages(corpus_files()))
        logger.info("needs.trained examples=%s seconds=%.1f", model.trained_on, time.perf_counter() - started)
        for folder in dirs:
            try:
                # Older models in the data dir go; the user's cache keeps the few newest (several checkouts).
                stale = sorted(folder.glob("needs-*.joblib"), key=lambda p: p.stat().st_mtime, reverse=True)
                for old in stale if folder == data_dir else stale[CACHE_KEEP - 1 :]:
                    old.unlink(missing_ok=True)
                model.save(folder / name)
            except OSError as exc:
                logger.info("needs.cache.unwritable path=%s error=%s", folder, exc)
    _TRAINED[fingerprint] = model
    return model
