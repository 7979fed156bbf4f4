"""Signals of case work that apps above it listen to, so that cases never imports them.

``referral_created`` is sent inside ``referral_create``'s transaction, after the referral is
written, with ``referral`` and ``actor``. A receiver that raises ``ValidationError`` refuses
the referral: nothing of it is saved (the school team takes the children named in an arrival
interview onto its list this way, lotse/schooling/receivers.py).
"""

from __future__ import annotations

from django.dispatch import Signal

referral_created = Signal()
