"""Reading exports: CSV (UTF-8 or GB18030, one encoding for the whole file), XLSX, JSON, JSON lines.

Every problem with the file itself (not a workbook, a cell over the size limit, JSON of the wrong
shape or nested too deep, bytes of two encodings in one file, a formula without a saved value) is a
:class:`FileProblem` naming the row, never a traceback and never silently skipped data.
"""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path
from typing import Any, Iterator

FORMATS = ("csv", "json", "jsonl", "xlsx")
# A cell larger than this is not an export mistake we can read around: refuse it by row.
CSV_FIELD_LIMIT = 1 << 20
csv.field_size_limit(CSV_FIELD_LIMIT)


class FileProblem(Exception):
    def __init__(self, row: int, reason: str, column: str = "-") -> None:
        super().__init__(reason)
        self.row, self.reason, self.column = row, reason, column


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"ndjson": "jsonl", "xlsm": "xlsx", "txt": "csv", "tsv": "csv"}
    suffix = aliases.get(suffix, suffix)
    if suffix not in FORMATS:
        raise ValueError(f"{path}: cannot tell the format from '{path.suffix}'; use --input-format {'/'.join(FORMATS)}")
    return suffix


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes strictly; else the line of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, line + chunk[: exc.start].count(b"\n")
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, line
    return True, 0


def _first_utf8_line(path: Path) -> int:
    """In a file that decodes as GB18030: the first non-ASCII line that is valid UTF-8 (a row saved
    in the other encoding, which GB18030 would read as mojibake), or 0."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if _is_utf8(raw):
                return number
    return 0


def _raw_line(path: Path, number: int) -> bytes:
    with open(path, "rb") as fh:
        for current, raw in enumerate(fh, start=1):
            if current == number:
                return raw
    return b""


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not raw.isascii()


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030 (the superset of GBK that Chinese Excel writes), decided
    over the whole file: a file mixing the two is refused with the line where they change."""
    ok, bad_line = _decodes(path, "utf-8")
    if ok:
        return "utf-8-sig"
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    before = head.split(b"\n")[: bad_line - 1]
    if any(not line.isascii() for line in before):
        raise FileProblem(bad_line, "the file mixes encodings: earlier lines are UTF-8, this line is not; save the whole file again as UTF-8 or GB18030")
    ok_gb, bad_gb = _decodes(path, "gb18030")
    if not ok_gb:
        if bad_gb > 1 and _is_utf8(_raw_line(path, bad_gb)):
            raise FileProblem(bad_gb, "the file mixes encodings: earlier lines are GB18030, this line is UTF-8; save the whole file again in one encoding")
        raise FileProblem(min(bad_line, bad_gb) or 1, "neither UTF-8 nor GB18030: save the file again as UTF-8 (CSV UTF-8 in Excel) or GB18030")
    utf8_line = _first_utf8_line(path)
    if utf8_line:
        raise FileProblem(utf8_line, "the file mixes encodings: this line is UTF-8, others GB18030; save the whole file again in one encoding")
    return "gb18030"


def read_table(path: Path, fmt: str, encoding: str | None = None) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """CSV / XLSX: the header, and (row number as the user sees it, cell values) for non-blank rows."""
    if fmt == "csv":
        return _csv_table(path, encoding)
    if fmt == "xlsx":
        return _xlsx_table(path)
    raise ValueError(f"'{fmt}' is not a tabular format")


def _csv_table(path: Path, encoding: str | None) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileProblem(0, f"unknown text encoding '{encoding}'") from None
        ok, bad_line = _decodes(path, encoding)
        if not ok:
            raise FileProblem(bad_line, f"not valid {encoding} text")
    enc = encoding or detect_encoding(path)
    fh = open(path, newline="", encoding=enc)
    try:
        header_line = fh.readline(65536)
        fh.seek(0)
        # Excel's "Unicode text" export is tab-separated. The delimiter is guessed from the header
        # line only, so tabs or commas inside a quoted data cell cannot change how the file is read.
        # strict: a quote left open is an error, not a cell swallowing the rest of the file.
        reader = csv.reader(fh, _dialect(header_line), strict=True)
        header = [h.strip() for h in _next_row(reader)]
    except BaseException:
        fh.close()
        raise

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with fh:
            while True:
                start = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise FileProblem(start, _csv_reason(exc)) from None
                if any(values) and "".join(values).strip():
                    yield reader.line_num, values

    return header, rows()


def _dialect(header_line: str) -> type[csv.Dialect]:
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=",\t").delimiter
    except csv.Error:  # a one-column header: no delimiter to see
        return csv.excel
    return csv.excel_tab if delimiter == "\t" else csv.excel


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is larger than {CSV_FIELD_LIMIT // 1024} KiB (an unclosed quote?)"
    if "unexpected end of data" in text:
        return "a quote opened in this row is never closed"
    if "expected after" in text:
        return "a quoted cell has text after its closing quote"
    return f"not readable as CSV: {text}"


def _next_row(reader) -> list[str]:
    try:
        return next(reader, [])
    except csv.Error as exc:
        raise FileProblem(1, _csv_reason(exc)) from None


def _xlsx_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        values_wb = load_workbook(path, read_only=True, data_only=True)
        # Formulas come back as None when the file was never opened and saved in Excel: read the
        # formulas too, so such a cell is refused instead of silently empty.
        formula_wb = load_workbook(path, read_only=True, data_only=False)
        rows = values_wb.active.iter_rows(values_only=True)
        formulas = formula_wb.active.iter_rows(values_only=True)
        first = next(rows, None)
        next(formulas, None)
    except FileProblem:
        raise
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException, ...: not a workbook
        raise FileProblem(0, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); save it again from Excel as .xlsx") from None
    header = [str(h).strip() if h is not None else "" for h in (first or ())]

    def xlsx_rows() -> Iterator[tuple[int, list[Any]]]:
        from openpyxl.utils import get_column_letter

        try:
            for number, (values, raw) in enumerate(zip(rows, formulas), start=2):
                for index, (value, formula) in enumerate(zip(values, raw)):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        column = header[index] if index < len(header) and header[index] else "-"
                        raise FileProblem(number, f"cell {get_column_letter(index + 1)}{number} holds a formula ({formula[:40]}) "
                                                  f"without a saved value: open the file in Excel and save it", column)
                if not all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    yield number, list(values)
        except FileProblem:
            raise
        except Exception as exc:
            raise FileProblem(0, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
        finally:
            values_wb.close()
            formula_wb.close()

    return header, xlsx_rows()


def table_row_as_dict(header: list[str], values: list[Any]) -> dict[str, Any]:
    row = {h: v for h, v in zip(header, values) if h}
    if len(values) > len(header) and any(v not in (None, "") for v in values[len(header):]):
        row["__extra__"] = values[len(header):]
    return row


def _json_error(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, RecursionError):
        return 0, "JSON nested too deeply"
    return 0, f"not valid JSON: {exc}"  # e.g. an integer of thousands of digits


def _text(path: Path, encoding: str | None) -> str:
    enc = encoding or "utf-8-sig"
    try:
        return path.read_text(encoding=enc)
    except UnicodeDecodeError as exc:
        raise FileProblem(0, f"not valid {enc} text at byte {exc.start}: JSON files are UTF-8") from None
    except LookupError:
        raise FileProblem(0, f"unknown text encoding '{enc}'") from None


def _lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str]]:
    """A JSON lines file line by line, split at b"\\n" only and decoded as ``_text`` decodes the whole
    file, so memory stays flat however long the file is."""
    enc = encoding or "utf-8-sig"
    try:
        later = "utf-8" if codecs.lookup(enc).name == "utf-8-sig" else enc  # a BOM counts only at the start
    except LookupError:
        raise FileProblem(0, f"unknown text encoding '{enc}'") from None
    offset = 0  # of the line in the file, so an error names the byte a hex editor shows
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and later != enc and raw.startswith(codecs.BOM_UTF8):
                raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
            try:
                line = raw.decode(later)
            except UnicodeDecodeError as exc:
                raise FileProblem(0, f"not valid {enc} text at byte {offset + exc.start}: JSON files are UTF-8") from None
            offset += len(raw)
            yield number, line


def read_rows(path: Path, fmt: str, encoding: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number as the user sees it, raw mapping); a bad row is ``{"__error__": reason}``."""
    if fmt in ("csv", "xlsx"):
        header, rows = read_table(path, fmt, encoding)
        for number, values in rows:
            yield number, table_row_as_dict(header, values)
    elif fmt == "jsonl":
        # Lines end at \n only: str.splitlines() would also break inside a JSON string holding
        # U+2028, U+2029 or U+0085, which json.dumps(ensure_ascii=False) writes raw.
        for number, line in _lines(path, encoding):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield number, {"__error__": _json_error(exc)[1]}
                continue
            yield number, obj if isinstance(obj, dict) else {"__error__": "each line must be a JSON object"}
    elif fmt == "json":
        try:
            data = json.loads(_text(path, encoding))
        except (ValueError, RecursionError) as exc:
            line_number, reason = _json_error(exc)
            raise FileProblem(line_number, reason) from None
        if isinstance(data, dict):
            # An object holds its rows under "records" (or "rows") beside settings of its own.
            data = data["records"] if "records" in data else data.get("rows", [data])
        if not isinstance(data, list):
            raise FileProblem(1, "a JSON file holds a list of records, or an object with its records under \"records\"")
        for number, obj in enumerate(data, start=1):
            yield number, obj if isinstance(obj, dict) else {"__error__": "each record must be a JSON object"}
    else:
        raise ValueError(f"unknown format '{fmt}'")
