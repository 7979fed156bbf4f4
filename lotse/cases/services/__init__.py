"""Writes of case work, one module per thing (``from lotse.cases.services import referrals``)."""
