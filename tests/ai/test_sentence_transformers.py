"""Hybrid search with dense embeddings, using a tiny sentence-transformers model this test builds itself."""

from __future__ import annotations

import asyncio
import importlib.util
import warnings

import numpy as np
import pytest

from samenspel.ai.registry import embedder_for
from samenspel.errors import InvalidInput
from samenspel.knowledge.index import ArticleDoc
from samenspel.knowledge.search import KnowledgeBase, KnowledgeRetriever
from samenspel.pipeline import build_pipeline
from samenspel.settings import Settings
from samenspel.understanding.signals import Inbound

if importlib.util.find_spec("sentence_transformers") is None:
    pytest.skip("the embeddings extra is not installed (make test installs it)", allow_module_level=True)
import sentence_transformers as st

DOCS = [
    ArticleDoc("paspoort", "paspoort", "Paspoort aanvragen", "nl", "## Kosten\nEen paspoort kost € 84,50."),
    ArticleDoc("grofvuil", "grofvuil", "Grofvuil laten ophalen", "nl", "## Afspraak\nMaak een afspraak online."),
    ArticleDoc("parkeren", "parkeren", "Parkeervergunning", "nl", "## Aanvragen\nVraag de vergunning online aan."),
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A static word-embedding model: 'reisdocument' (a word no article uses) means what 'paspoort' means."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from sentence_transformers.models import StaticEmbedding

    words = "paspoort aanvragen kosten kost een grofvuil laten ophalen afspraak maak online parkeervergunning"
    vocab = {"[UNK]": 0, "[PAD]": 1}
    for word in [*words.split(), "reisdocument", "vergunning", "vraag", "de", "aan"]:
        vocab.setdefault(word, len(vocab))
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    weights = np.random.default_rng(7).normal(size=(len(vocab), 16)).astype("float32")
    weights[vocab["reisdocument"]] = weights[vocab["paspoort"]]
    weights[vocab["[UNK]"]] = 0
    model = st.SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_weights=weights)], device="cpu")
    path = tmp_path_factory.mktemp("tiny-model")
    model.save(str(path))
    return path


def settings_for(path):
    return Settings(environment="test", embedding_backend="sentence-transformers", embedding_model_path=path)


def test_the_backend_loads_the_model_from_a_local_folder(model_dir):
    embedder = embedder_for(settings_for(model_dir))
    vectors = embedder.embed(["paspoort", "reisdocument", "grofvuil"])
    assert vectors.shape == (3, 16)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.99
    assert float(vectors[0] @ vectors[2]) < 0.9


def test_hybrid_search_finds_an_article_by_meaning_where_words_do_not_match(model_dir):
    lexical = KnowledgeBase(DOCS)
    assert lexical.search("reisdocument", "nl") == []  # no article uses the word
    hybrid = KnowledgeBase(DOCS, embedder=embedder_for(settings_for(model_dir)))
    hits = hybrid.search("reisdocument", "nl")
    assert hits[0].group == "paspoort"
    # Lexical evidence still counts: an exact question ranks its article first.
    assert hybrid.search("grofvuil laten ophalen", "nl")[0].group == "grofvuil"


def test_the_pipeline_uses_the_configured_embedder(model_dir):
    settings = settings_for(model_dir)
    knowledge = KnowledgeBase(DOCS, embedder=embedder_for(settings))
    outcome = asyncio.run(build_pipeline(settings, KnowledgeRetriever(knowledge)).run(Inbound("reisdocument")))
    assert outcome.hits[0].group == "paspoort"


def test_a_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInput, match="not a folder"):
        embedder_for(settings_for(tmp_path / "nowhere"))
    with pytest.raises(InvalidInput, match="embedding_model_path"):
        embedder_for(Settings(environment="test", embedding_backend="sentence-transformers"))
