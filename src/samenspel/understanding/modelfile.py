"""Trained models on disk: one joblib (pickle) file per model, named by its kind and format version.

Model files are pickles: load only files your organisation wrote itself.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

import joblib
import sklearn

from samenspel.errors import InvalidInput

logger = logging.getLogger(__name__)


def write_model(path: Path, kind: str, version: int, fields: dict[str, Any]) -> None:
    """Writes the model whole or not at all; two processes writing the same file each write their own copy
    first, and the last one wins."""
    payload = {"kind": kind, "format": version, "sklearn": sklearn.__version__, **fields}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    joblib.dump(payload, tmp, compress=3)
    tmp.replace(path)


def read_model(path: Path, kind: str, version: int, *, what: str, command: str) -> dict[str, Any]:
    """The fields of a model written by ``write_model``; a clear refusal for anything else. ``what`` names
    the model ("intent model"), ``command`` how to train one."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            payload = joblib.load(path)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such model file; train one with `{command}`") from None
    except Exception as exc:  # a truncated or foreign file fails in many ways inside unpickling
        raise InvalidInput(f"{path}: not a Samenspel {what} ({type(exc).__name__})") from None
    for warning in caught:
        logger.warning("model.load_warning path=%s warning=%s", path, warning.message)
    if not isinstance(payload, dict) or payload.get("kind") != kind:
        raise InvalidInput(f"{path}: not a Samenspel {what}")
    if payload.get("format") != version:
        raise InvalidInput(
            f"{path}: {what} format {payload.get('format')!r}, this Samenspel reads format {version}; "
            f"train it again with `{command}`"
        )
    if payload.get("sklearn") != sklearn.__version__:
        logger.warning(
            "model.sklearn_version path=%s kind=%s written_with=%s running=%s",
            path,
            kind,
            payload.get("sklearn"),
            sklearn.__version__,
        )
    return payload
