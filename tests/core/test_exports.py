from __future__ import annotations

import pytest

from lotse.core.exports import spreadsheet_text


@pytest.mark.parametrize("value", ["=1+1", "+49 170", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_what_a_spreadsheet_would_run_is_written_as_text(value):
    assert spreadsheet_text(value) == f"'{value}"


@pytest.mark.parametrize("value", ["Ana Popescu", "Şen", "12", "", None, "a=b"])
def test_everything_else_stays_as_it_is(value):
    assert spreadsheet_text(value) == ("" if value is None else value)
