"""The run's own JSON Lines file: its name, its lines, and the tail a killed run left behind.

Without `-o/-O` every run writes `<BHG_EXPORT_DIR>/<run start, UTC>.jsonl`, one line per record,
flushed as it is written (the file is made with its first line: a run with nothing new leaves none):
the pipeline commits the article to the state only after its line is in the file, so a killed run
loses at most the line being written. `recover_tail` is what the next run does with such a file:
the half line is cut off and the complete lines are read back. A line that cannot be written (a
full disk) is taken back off the file before the error is raised.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class ExportFile:
    def __init__(self, path: Path, fields: list[str] | tuple[str, ...] = ()):
        self.path = path
        self.fields = tuple(fields)
        self.written = 0
        self._fh = None

    @classmethod
    def new(cls, folder: Path, run_id: str, fields=()) -> ExportFile:
        """A file named after the run that no earlier run has written."""
        path = folder / f"{run_id}.jsonl"
        n = 2
        while path.exists():  # two runs started within one second
            path = folder / f"{run_id}-{n}.jsonl"
            n += 1
        return cls(path, fields)

    def append(self, record: dict) -> None:
        """One line, in the export's field order, flushed before this returns; an OSError leaves the
        file as it was."""
        ordered = {k: record.get(k) for k in self.fields} if self.fields else record
        line = (json.dumps(ordered, ensure_ascii=False) + "\n").encode("utf-8")
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")
        end = self._fh.tell()
        try:
            self._fh.write(line)
            self._fh.flush()
        except OSError:
            self._take_back(end)
            raise
        self.written += 1

    def _take_back(self, end: int) -> None:
        try:
            self._fh.truncate(end)
            self._fh.seek(end)
        except OSError:
            pass  # the next run's recovery cuts a half line

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def recover_tail(path: Path) -> tuple[list[dict], int]:
    """(the records of every complete line, bytes cut off) of a killed run's export: a last line
    without its newline was being written when the run died, and is cut off the file."""
    data = path.read_bytes()
    cut = data.rfind(b"\n") + 1
    if cut < len(data):
        with open(path, "r+b") as fh:
            fh.truncate(cut)
    records = []
    for line in data[:cut].splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records, len(data) - cut
