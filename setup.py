# scrapyd-deploy builds the Scrapyd egg with `python setup.py bdist_egg` and, when there is no
# setup.py, writes one of its own into the project, naming a package "project" and the packages
# find_packages() finds (the tests, the fixtures' generators). Everything is in pyproject.toml.
from setuptools import setup

setup()
