# Used by scrapyd-client to build the egg deployed to scrapyd.
from setuptools import find_packages, setup

setup(
    name="newscrawl",
    version="0.1.0",
    packages=find_packages(exclude=["tests", "tests.*"]),
    package_data={"newscrawl": ["data/*"]},
    entry_points={"scrapy": ["settings = newscrawl.settings"]},
    python_requires=">=3.10",
)
