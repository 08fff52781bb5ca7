"""Test tooling: the replay server, golden-record regeneration and fake web archives. Not installed
with the package; run from the project folder (`python -m devtools.replay`, `make golden`)."""
