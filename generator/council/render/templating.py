"""The Jinja environment: templates hold presentation only; the filters escape for each output.

Author text always arrives as template *data*; it is never compiled as a template itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


def typst_string(value: object) -> str:
    """A typst string literal; `#` + this shows the text exactly, whatever characters it holds."""
    text = " ".join(str(value).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_PANDOC_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def pandoc_markdown(value: object) -> str:
    """Plain text made literal for pandoc's Markdown reader (every ASCII punctuation may be escaped)."""
    return _PANDOC_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def long_date(value: dt.date) -> str:
    """UK style: 14 March 2026."""
    return f"{value.day} {value:%B %Y}"


def json_string(value: object) -> Markup:
    return Markup(json.dumps(str(value), ensure_ascii=False))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("council", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        typst_string=typst_string, pandoc_markdown=pandoc_markdown, long_date=long_date, json_string=json_string
    )
    return env


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
