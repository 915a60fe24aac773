"""A trainable emotion reader, for where labelled messages exist.

The lexicon reader (``emotion.py``) is the embedded default: it needs no data and explains itself. Where an
organisation has labelled its own messages — or with the corpus this project ships (``data/needs/``, every
message labelled with its strongest feeling and an intensity) — this reader learns the same labels from the
words, the characters and the shape of a message (the features of ``needs.py``): a multinomial logistic
regression for the feeling (anger, frustration, distress, sadness, gratitude or none) and a ridge regression
for its intensity. ``samenspel emotion train`` writes one to the data dir, and the assistant then reads
emotions with it; ``samenspel eval emotion`` measures it beside the lexicon and a keyword baseline.

Model files are joblib (pickle) files: load only files your organisation wrote itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import FeatureUnion

from samenspel.errors import InvalidInput
from samenspel.understanding.emotion import LABELS, Emotion
from samenspel.understanding.evaluation import NONE, EmotionExample
from samenspel.understanding.modelfile import read_model, write_model
from samenspel.understanding.needs import message_features

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MODEL_KIND = "samenspel.emotion"
# A feeling less likely than this gives no score of its own.
SCORE_FLOOR = 0.2
CUES = 3


class EmotionModel:
    """Fit on labelled messages; read the feeling and its intensity of new ones."""

    def __init__(self, *, c: float = 4.0, alpha: float = 1.0) -> None:
        self.c = c
        self.alpha = alpha
        self.features: FeatureUnion | None = None
        self.classifier: LogisticRegression | None = None
        self.intensity: Ridge | None = None
        self.trained_on = 0

    def fit(self, examples: Sequence[EmotionExample]) -> EmotionModel:
        labels = {e.label for e in examples}
        if len(examples) < 6 or len(labels) < 2:
            raise InvalidInput(
                f"training needs at least 6 labelled messages with at least two labels; got {len(examples)} "
                f"with {len(labels)}"
            )
        self.features = message_features()
        x = self.features.fit_transform([e.text for e in examples])
        self.classifier = LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000).fit(
            x, [e.label for e in examples]
        )
        felt = [i for i, e in enumerate(examples) if e.label != NONE]
        self.intensity = Ridge(alpha=self.alpha).fit(x[felt], [examples[i].intensity for i in felt]) if felt else None
        self.trained_on = len(examples)
        return self

    def read(self, text: str) -> Emotion:
        if self.features is None or self.classifier is None:
            raise RuntimeError("the emotion model is not trained")
        x = self.features.transform([text])
        chances = dict(zip(self.classifier.classes_, self.classifier.predict_proba(x)[0], strict=True))
        label = max(chances, key=lambda k: chances[k])
        strength = float(np.clip(self.intensity.predict(x)[0], 0.0, 1.0)) if self.intensity is not None else 0.5
        best = max((chances.get(name, 0.0) for name in LABELS), default=0.0)
        # The most likely feeling carries the predicted intensity; a less likely one a share of it.
        scores = {
            name: round(strength * chances.get(name, 0.0) / best, 3)
            for name in LABELS
            if best > 0 and chances.get(name, 0.0) >= SCORE_FLOOR
        }
        if label == NONE:
            return Emotion(None, 0.0, [], scores)
        return Emotion(str(label), round(strength, 3), self._cues(x, str(label)), scores)

    def _cues(self, x: object, label: str) -> list[str]:
        """The words of the message that pushed hardest towards ``label``."""
        if self.features is None or self.classifier is None:
            return []
        words: TfidfVectorizer = self.features.transformer_list[0][1]
        names = words.get_feature_names_out()
        row = x.tocsr()  # type: ignore[attr-defined]
        k = list(self.classifier.classes_).index(label)
        weights = self.classifier.coef_[k]
        pushes = [
            (float(v * weights[j]), str(names[j])) for j, v in zip(row.indices, row.data, strict=True) if j < len(names)
        ]
        return [name for push, name in sorted(pushes, reverse=True) if push > 0][:CUES]

    def save(self, path: Path) -> None:
        write_model(path, MODEL_KIND, FORMAT_VERSION, {"model": self})


def cross_read(examples: Sequence[EmotionExample], folds: int = 5) -> dict[str, Emotion]:
    """Each message read by a model trained on the other folds: a fair measure of the trained reader on data
    like its own."""
    from sklearn.model_selection import KFold

    readings: dict[str, Emotion] = {}
    splitter = KFold(n_splits=folds, shuffle=True, random_state=7)
    for train, test in splitter.split(np.arange(len(examples))):
        model = EmotionModel().fit([examples[i] for i in train])
        for i in test:
            readings[examples[i].text] = model.read(examples[i].text)
    return readings


def load_emotion_model(path: Path) -> EmotionModel:
    payload = read_model(path, MODEL_KIND, FORMAT_VERSION, what="emotion model", command="samenspel emotion train")
    model = payload.get("model")
    if not isinstance(model, EmotionModel):
        raise InvalidInput(f"{path}: not a Samenspel emotion model")
    return model
