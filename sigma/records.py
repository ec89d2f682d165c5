"""Emitted records -> SQLite rows, and running a converted rule over them.

Records are flattened the way a SIEM's JSON flattening (Elastic's convention) sees them: maps
become dotted keys, arrays of maps multi-valued keys. Every column is TEXT COLLATE NOCASE
because Sigma string matching is case-insensitive.
"""
from __future__ import annotations

import json
import sqlite3
from itertools import product as cartesian


def flatten(value, prefix: str, out: dict) -> None:
    """Elastic-style flattening: maps become dotted keys, arrays of maps multi-valued keys."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{prefix}.{k}", out)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for item in value:
            if isinstance(item, dict):
                sub: dict = {}
                for k, v in item.items():
                    flatten(v, f"{prefix}.{k}", sub)
                for k, v in sub.items():
                    out.setdefault(k, []).extend(v if isinstance(v, list) else [v])
    else:
        out[prefix] = value


def rows_for(records: list[dict], group_fields: set[str]) -> list[dict]:
    """One row per record; a multi-valued group-by field puts the record in each value's group,
    as Splunk's `stats by` and ES|QL's STATS BY do. Other arrays are stored as JSON text, which
    `|contains` (the only way the rules match arrays) reads as "some element contains"."""
    rows = []
    for rec in records:
        flat: dict = {}
        for key, value in rec["attributes"].items():
            flatten(value, key, flat)
        split = [k for k in group_fields if isinstance(flat.get(k), list) and flat[k]]
        for combo in cartesian(*[flat[k] for k in split]):
            row = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in flat.items()}
            row.update(dict(zip(split, combo)))
            row["timestamp"] = rec["time"]
            rows.append(row)
    return rows


def fires(query: str, rows: list[dict], columns: set[str]) -> bool:
    db = sqlite3.connect(":memory:")
    try:
        cols = sorted(columns | {k for r in rows for k in r} | {"timestamp"})
        db.execute("CREATE TABLE logs (" + ", ".join(f'"{c}" TEXT COLLATE NOCASE' for c in cols) + ")")
        for r in rows:
            names = list(r)
            db.execute(f"INSERT INTO logs ({', '.join(chr(34) + n + chr(34) for n in names)}) "
                       f"VALUES ({', '.join('?' for _ in names)})",
                       [v if v is None or isinstance(v, (int, float, str)) else str(v) for v in r.values()])
        return db.execute(query).fetchone() is not None
    finally:
        db.close()
