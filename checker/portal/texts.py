"""The portal's words in Chinese and English; a key missing from one language falls back to English, then the key."""

from __future__ import annotations

from collections.abc import Callable

TEXTS: dict[str, dict[str, str]] = {
    "portal": {"zh": "绿色建筑 BIM 审查平台", "en": "Green-building BIM review portal"},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "sign_out": {"zh": "退出", "en": "Sign out"},
    "username": {"zh": "用户名", "en": "User name"},
    "password": {"zh": "密码", "en": "Password"},
    "sign_in_failed": {"zh": "用户名或密码错误", "en": "Wrong user name or password"},
    "error": {"zh": "出错了", "en": "Something went wrong"},
    "back": {"zh": "返回", "en": "Back"},
    "projects": {"zh": "项目", "en": "Projects"},
}


def translator(lang: str) -> Callable[..., str]:
    def text(key: str, **values: object) -> str:
        entry = TEXTS.get(key)
        phrase = (entry.get(lang) or entry["en"]) if entry else key
        return phrase.format(**values) if values else phrase

    return text
