"""``fix --target v2`` on generated SDK v1 programs (``programs.py``): the output parses, re-checks (every
rule, the opt-in SDK v2 ones included) to exactly what it left manual, and a second fix changes nothing."""

from __future__ import annotations

import ast
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from lint_plugin.analysis import PYTHON_CODES
from lint_plugin.engine import analyze_source
from lint_plugin.fix import fix_source

from .helpers import scaled
from .programs import program


@settings(max_examples=scaled(200), deadline=None)
@given(program(), st.sampled_from(("curated", "exact")), st.booleans())
def test_v2_output_parses_rechecks_to_what_it_left_manual_and_is_idempotent(source: str, style: str,
                                                                           safe_only: bool) -> None:
    result = fix_source(source, env_style=style, safe_only=safe_only, target="v2")
    ast.parse(result.source)
    after = Counter(f.code for f in analyze_source(result.source, enabled=PYTHON_CODES).findings)
    assert after == Counter(m.code for m in result.manual), "a finding claimed fixed is still there"
    assert fix_source(result.source, env_style=style, safe_only=safe_only, target="v2").source == result.source
