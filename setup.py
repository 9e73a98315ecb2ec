# Used by scrapyd-client (`scrapyd-deploy --build-egg`, run by `python -m newscrawl.ops deploy`) to build
# the egg deployed to scrapyd. The `scrapy` entry point names the settings module scrapyd's runner
# uses. scrapyd 1.6 activates eggs with pkg_resources: keep setuptools<81 (requirements.txt) where
# scrapyd runs.
from setuptools import find_packages, setup

setup(
    name="newscrawl",
    version="0.1.0",
    # The package only: tools/ (benchmarks, embedded server, demo) and tests/ stay in the checkout.
    packages=find_packages(include=["newscrawl", "newscrawl.*"]),
    # publishers/catalog.toml: the catalog sources' declarations (read by newscrawl/sources.py).
    package_data={"newscrawl": ["data/*", "web/templates/*", "web/static/*", "publishers/catalog.toml"]},
    entry_points={"scrapy": ["settings = newscrawl.settings"]},
    # Pinned versions in requirements.txt (setup installs them all).
    extras_require={"web": ["Flask", "matplotlib"], "analysis": ["pandas"]},
    python_requires=">=3.11",   # tomllib (the source catalog), possessive regexes
)
