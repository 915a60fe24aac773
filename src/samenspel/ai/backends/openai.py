"""Any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, llama.cpp server, hosted services).

Personal data is replaced by placeholders before a text is sent, and put back in the answer.
"""

from __future__ import annotations

import logging

import httpx

from samenspel.errors import InvalidInput, SamenspelError
from samenspel.privacy.redact import redact
from samenspel.settings import Settings

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {
    "nl": "Dutch", "en": "English", "de": "German", "fr": "French", "tr": "Turkish", "ar": "Arabic",
    "pl": "Polish", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "uk": "Ukrainian", "ru": "Russian",
    "ro": "Romanian", "so": "Somali", "ti": "Tigrinya", "fa": "Persian", "zh": "Chinese",
}  # fmt: skip


class BackendUnavailable(SamenspelError):
    code = "backend_unavailable"
    http_status = 503


class OpenAIChat:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIChat:
        if not settings.openai_base_url or not settings.openai_model:
            raise InvalidInput("the openai backend needs openai_base_url and openai_model")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return cls(settings.openai_base_url, settings.openai_model, key)

    async def complete(self, system: str, user: str) -> str:
        payload = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        try:
            # A client per call: the pipeline may run under different event loops (server, CLI).
            async with httpx.AsyncClient(base_url=self.base_url, headers=self._headers, timeout=self.timeout) as client:
                response = await client.post("/chat/completions", json=payload)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            # The key is in a header, never in what is logged.
            logger.warning("ai.openai.failed error=%s", type(exc).__name__)
            raise BackendUnavailable("the language model endpoint did not answer usefully") from None
        if not isinstance(content, str):
            raise BackendUnavailable("the language model endpoint gave no text")
        return content.strip()


class OpenAITranslator:
    name = "openai"

    def __init__(self, chat: OpenAIChat) -> None:
        self.chat = chat

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAITranslator:
        return cls(OpenAIChat.from_settings(settings))

    async def translate(self, text: str, source: str, target: str) -> str:
        if source == target or not text.strip():
            return text
        hidden = redact(text)
        system = (
            f"Translate the user's text from {LANGUAGE_NAMES.get(source, source)} to "
            f"{LANGUAGE_NAMES.get(target, target)}. Keep line breaks, bullet points, URLs, amounts, dates and "
            "placeholders in square brackets exactly as they are. Answer with the translation only."
        )
        return hidden.restore(await self.chat.complete(system, hidden.text))
