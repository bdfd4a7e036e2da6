"""Passwords (argon2id via argon2-cffi), random tokens kept only as SHA-256, and a sliding-window rate limiter.

Session cookies, API tokens and CSRF tokens are 256-bit random values from `secrets`; the database stores the
SHA-256 of session and API tokens, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
API_TOKEN_PREFIX = "gc_"
MIN_PASSWORD_LENGTH = 10
# verified against when the user does not exist, so a wrong name and a wrong password take the same time
_DUMMY_HASH = _HASHER.hash("greencheck-no-such-user")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class RateLimiter:
    """At most `limit` events per `window_s` seconds per key (a user, a token, an address); thread-safe, in memory.

    In memory is enough for one portal process; an office running several behind a balancer gets a limit per process.
    """

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one event for `key` if it is under the limit; False (nothing counted) when it is not."""
        with self._lock:
            if self._full(key):
                return False
            self._events[key].append(time.monotonic())
            return True

    def exceeded(self, key: str) -> bool:
        """Whether `key` is at its limit now, without counting an event (e.g. before checking a password)."""
        with self._lock:
            return self._full(key)

    def record(self, key: str) -> None:
        """Count one event whatever the limit (e.g. a failed sign-in)."""
        with self._lock:
            self._events[key].append(time.monotonic())

    def _full(self, key: str) -> bool:
        events = self._events[key]
        cutoff = time.monotonic() - self.window_s
        while events and events[0] <= cutoff:
            events.popleft()
        return len(events) >= self.limit

    def retry_after(self, key: str) -> int:
        with self._lock:
            events = self._events.get(key)
            if not events:
                return 0
            return max(1, int(events[0] + self.window_s - time.monotonic()) + 1)
