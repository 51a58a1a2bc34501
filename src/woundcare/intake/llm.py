"""A pluggable language-model client for free-text intake.

The model is an *assistant* to the rules (see :mod:`woundcare.intake.assisted`): whatever it
returns is validated, grounded in the text and may only fill gaps. This module only talks to
the model; errors of any kind surface as :class:`ModelUnavailable`, whose message is an error
code and never contains the text or a value.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Protocol

import httpx


class ModelUnavailable(RuntimeError):
    """The model could not be asked or answered unusably; ``str()`` is a short code."""


class IntakeModel(Protocol):
    def extract(self, text: str) -> dict[str, object]:
        """Return the model's raw JSON object for ``text``; raise :class:`ModelUnavailable`."""
        ...


@cache
def system_prompt() -> str:
    return files("woundcare.intake").joinpath("prompts", "extract.md").read_text("utf-8")


def _strip_fences(content: str) -> str:
    stripped = content.strip()
    if stripped.startswith("```") and stripped.endswith("```"):
        stripped = stripped[3:-3]
        if stripped.lower().startswith("json"):
            stripped = stripped[4:]
    return stripped.strip()


class OpenAICompatibleClient:
    """POSTs ``{base_url}/chat/completions`` (OpenAI wire format) and returns the JSON reply."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        model: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._api_key = api_key
        self._model = model
        self._timeout = timeout
        self._transport = transport

    def __repr__(self) -> str:  # never the key
        return f"OpenAICompatibleClient(url={self._url!r}, model={self._model!r})"

    def extract(self, text: str) -> dict[str, object]:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        payload = {
            "model": self._model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": system_prompt()},
                {"role": "user", "content": text},
            ],
        }
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(self._url, json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            raise ModelUnavailable("timeout") from exc
        except httpx.HTTPError as exc:
            raise ModelUnavailable("transport_error") from exc
        if not response.is_success:
            raise ModelUnavailable(f"http_{response.status_code}")
        try:
            body = response.json()
            content = body["choices"][0]["message"]["content"]
        except ValueError as exc:
            raise ModelUnavailable("bad_json") from exc
        except (KeyError, IndexError, TypeError) as exc:
            raise ModelUnavailable("missing_keys") from exc
        if not isinstance(content, str):
            raise ModelUnavailable("missing_keys")
        try:
            parsed = json.loads(_strip_fences(content))
        except ValueError as exc:
            raise ModelUnavailable("bad_json") from exc
        if not isinstance(parsed, dict):
            raise ModelUnavailable("not_an_object")
        return parsed
