"""Reading a spreadsheet back as a trainer's application shows it: LibreOffice (Debian's
libreoffice-calc-nogui, which `make test` installs) converts every sheet of an XLSX to CSV,
each cell as the sheet displays it (number formats applied), in a profile of its own."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

# LibreOffice's CSV filter options: comma, double quotes, UTF-8, from line 1, …, cells as shown,
# every sheet to its own file (the last, -1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def sheets_as_shown(xlsx: Path, work: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``xlsx`` as LibreOffice Calc shows it: ``{sheet name: rows of cells}``."""
    out = work / "csv"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(xlsx),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    found = {}
    for path in sorted(out.glob(f"{xlsx.stem}-*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found[path.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(f))
    return found
