"""Where a run's files go: each backfill window its own state and export folder by default, so that
jobs of different windows (Scrapyd's, sharded by year) run at once; a path given without `{window}`
is taken as it is."""

from datetime import date
from pathlib import Path

from scrapy.settings import Settings

from bhgcrawl import preflight
from bhgcrawl import settings as defaults
from bhgcrawl.arguments import Arguments
from bhgcrawl.run import Run, project_path
from bhgcrawl.walks import Window
from tests.helpers import project_settings

Y2019 = Window(date(2019, 1, 1), date(2019, 12, 31))


def test_the_default_state_and_exports_are_the_windows_own(tmp_path, monkeypatch):
    """Catches two year jobs on one node sharing a state: the second would exit at once (locked)."""
    monkeypatch.chdir(tmp_path)  # no scrapy.cfg above: the working directory, as under Scrapyd
    state, exports = defaults.BHG_STATE_PATH, defaults.BHG_EXPORT_DIR
    assert project_path(state) == tmp_path / "state/bhg.sqlite3"
    assert project_path(exports) == tmp_path / "exports/bhg"
    assert project_path(state, Y2019) == tmp_path / "state/bhg-2019-01-01_2019-12-31.sqlite3"
    assert project_path(exports, Y2019) == tmp_path / "exports/bhg-2019-01-01_2019-12-31"
    assert project_path("/srv/bhg/state.sqlite3", Y2019) == Path("/srv/bhg/state.sqlite3")
    assert project_path("/srv/bhg/s{window}.sqlite3", Window(until=date(2012, 5, 1))) == \
        Path("/srv/bhg/s-until-2012-05-01.sqlite3")


def test_two_windows_runs_hold_two_states_at_once(tmp_path, monkeypatch):
    """The run lock is per state file: while a 2019 run holds its state a 2020 run passes the checks
    and starts, and each writes its export in its own folder."""
    monkeypatch.chdir(tmp_path)
    settings = Settings(project_settings(BHG_STATE_PATH=defaults.BHG_STATE_PATH,
                                         BHG_EXPORT_DIR=defaults.BHG_EXPORT_DIR))
    runs = []
    for year in (2019, 2020):
        given = {"since": f"{year}-01-01", "until": f"{year}-12-31"}
        assert preflight.check(settings, given) is None
        run = Run(settings, Arguments.parse(**given))
        runs.append(run)
        assert run.state is not None
        assert run.export.path.parent == tmp_path / f"exports/bhg-{year}-01-01_{year}-12-31"
    assert preflight.check(settings, {"since": "2019-01-01", "until": "2019-12-31"})[1].startswith(
        "another bhg run is using the state")
    for run in runs:
        run.state.close()
    assert sorted(p.name for p in (tmp_path / "state").glob("*.sqlite3")) == [
        "bhg-2019-01-01_2019-12-31.sqlite3", "bhg-2020-01-01_2020-12-31.sqlite3"]
