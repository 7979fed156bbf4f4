"""Settings of the page benchmark's server (``benchmarks/pages.py``): Lotse's own, with a URLconf
that adds the framework ceiling, a page that only says "ok". Never used outside the benchmark,
so that page exists in no installation."""

from lotse.settings import *  # noqa: F403

ROOT_URLCONF = "_pages_urls"
