"""The password policy: at least ``MIN_LENGTH`` characters, and not guessable - judged by
zxcvbn (shipped as a package, offline), whose frequency lists include the common-password
lists, dictionary words and names, and which also catches repeats (``aaaaaaaaaaaa``),
sequences, keyboard walks and the user's own e-mail or name. A score below ``MIN_SCORE``
(0-4) is refused. The message never repeats the password."""

from __future__ import annotations

from collections.abc import Sequence

MIN_LENGTH = 12
MIN_SCORE = 3
_EVALUATED_CHARS = 64  # zxcvbn's matching is super-linear; the first 64 characters decide


def password_problem(password: str, user_inputs: Sequence[str] = ()) -> str | None:
    """Why ``password`` is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Choose a password of at least {MIN_LENGTH} characters."
    from zxcvbn import zxcvbn  # its frequency lists load on first use, not at start-up

    result = zxcvbn(password[:_EVALUATED_CHARS],
                    user_inputs=[value for value in user_inputs if value])
    if int(result["score"]) < MIN_SCORE:
        return ("This password is too easy to guess (a common password, a repeat, a "
                "sequence or a word from a dictionary, or your own name or e-mail). Use a "
                "longer phrase of unrelated words.")
    return None
