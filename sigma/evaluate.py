"""Prove every rule on event streams that went through the receiver's real mapping.

    python sigma/evaluate.py [--table | --write-readme] [--check-readme]

For each rule file rules/<rule>.yml, sigma/streams/<rule>.yml holds positive and negative
streams of API-shaped Atlassian records. sigma/emit.mjs runs them through the built mappings
(dist/, CATALOG_MAPPERS); each stream's emitted records are loaded into an in-memory SQLite
table and the rule, converted by pySigma's SQLite backend with sigma/pipeline.yml (correlation
rules included), is executed on it. A rule passes when it fires on every positive stream and on
no negative one. --table prints the README table, --write-readme puts it in README.md, and
--check-readme fails when README.md's copy is stale.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml
from sigma.backends.sqlite import sqliteBackend
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule
from sigma.processing.pipeline import ProcessingPipeline

from lint import lint
from readme_table import readme_table, table, write_readme_table
from records import fires, flatten, rows_for
from target_pipelines import base_mapping

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
STREAMS = ROOT / "sigma" / "streams"
PIPELINE = ROOT / "sigma" / "pipeline.yml"

# Rules that no real mapping can feed yet. Listed, never silently skipped: they are reported
# as untested on every run and in the README table.
# Attributes sigma/pipeline.yml maps that no stream's emitted records carry (set by run()): a
# typo or a renamed attribute shows up here.
UNSEEN: list[str] = []

UNTESTABLE = {
    "32_guard_detect_alert": "no Guard Detect source exists in this receiver, so no real mapping can produce its records",
}


def compile_rule(path: Path, fields: dict[str, list[str]]):
    collection = SigmaCollection.from_yaml(path.read_text())
    pipeline = ProcessingPipeline.from_yaml(PIPELINE.read_text())
    queries = sqliteBackend(pipeline).convert(collection)
    group: set[str] = set()
    for r in collection.rules:
        if isinstance(r, SigmaCorrelationRule):
            names = list(r.group_by or [])
            for alias in (r.aliases.aliases.values() if r.aliases else []):
                names += list(alias.mapping.values())
            for n in names:
                group.update(fields.get(str(n), [str(n)]))
    # rows_for() splits a record per element of a multi-valued group-by field; a detection that
    # also tests that field would then see one element instead of the whole array.
    for doc in yaml.safe_load_all(path.read_text()):
        for item in (doc.get("detection") or {}).values():
            for m in item if isinstance(item, list) else [item]:
                for key in (m.keys() if isinstance(m, dict) else []):
                    clash = set(fields.get(key.split("|")[0], [])) & group
                    if clash:
                        raise SystemExit(f"{path.name}: group-by field {', '.join(sorted(clash))} is also matched "
                                         "by a detection; the evaluator cannot split it per element: group by another field")
    return queries, group


def run() -> list[dict]:
    proc = subprocess.run(["node", str(ROOT / "sigma" / "emit.mjs"), str(STREAMS)], capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if "Error" in l] or proc.stderr.splitlines()[-1:]
        raise SystemExit(f"sigma/emit.mjs failed: {lines[0] if lines else 'exit ' + str(proc.returncode)}")
    data = json.loads(proc.stdout)
    fields = base_mapping()
    global UNSEEN
    seen: set[str] = set()
    for rule_streams in data["streams"].values():
        for streams in rule_streams.values():
            for s in streams:
                for rec in s["records"]:
                    flat: dict = {}
                    for k, v in rec["attributes"].items():
                        flatten(v, k, flat)
                    seen.update(flat)
    UNSEEN = sorted({a for targets in fields.values() for a in targets} - seen)
    columns = {a for targets in fields.values() for a in targets}
    results = []
    for path in sorted(RULES.glob("*.yml")):
        rule = path.stem
        res = {"rule": rule, "title": "", "positive": [0, 0], "negative": [0, 0], "errors": [], "not_run": []}
        docs = list(yaml.safe_load_all(path.read_text()))
        top = next((d for d in docs if "correlation" in d), docs[0])
        res["title"], res["doc"] = top["title"], top
        results.append(res)
        if rule in UNTESTABLE:
            res["not_run"].append(UNTESTABLE[rule])
            continue
        streams = data["streams"].get(rule)
        if streams is None:
            res["errors"].append(f"no streams: add sigma/streams/{rule}.yml")
            continue
        queries, group = compile_rule(path, fields)
        for polarity, want in (("positive", True), ("negative", False)):
            if not streams[polarity]:
                res["errors"].append(f"no {polarity} stream")
            for s in streams[polarity]:
                if s["unmapped"]:
                    res["not_run"].append(f"{polarity} '{s['name']}': no mapping for source type(s) "
                                          f"{', '.join(s['unmapped'])} in CATALOG_MAPPERS")
                    continue
                rows = rows_for(s["records"], group)
                got = any(fires(q, rows, columns) for q in queries)
                res[polarity][0 if got == want else 1] += 1
                if got != want:
                    res["errors"].append(f"{polarity} '{s['name']}' ({len(s['records'])} records): "
                                         f"{'did not fire' if want else 'fired'}")
        ran_pos, ran_neg = sum(res["positive"]), sum(res["negative"])
        if (ran_pos or ran_neg) and not (ran_pos and ran_neg):
            res["errors"].append(f"only {'positive' if ran_pos else 'negative'} streams could run: add the other kind for a source that has a mapping")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the README table")
    parser.add_argument("--check-readme", action="store_true", help="fail when README.md's table is stale")
    parser.add_argument("--write-readme", action="store_true", help="replace README.md's table")
    args = parser.parse_args()
    results = run()
    if args.table:
        print(table(results))
        return 0
    if args.write_readme:
        write_readme_table(table(results))
        print("sigma: README.md table written")
        return 0
    passed = failed = 0
    untested = []
    for r in results:
        ran = sum(r["positive"]) + sum(r["negative"])
        ok = not r["errors"]
        if ok and ran == 0:
            untested.append(r["rule"])
            verdict = "UNTESTED"
        else:
            passed, failed = passed + ok, failed + (not ok)
            verdict = "PASS" if ok else "FAIL"
        counts = f"+{r['positive'][0]}/{sum(r['positive'])} -{r['negative'][0]}/{sum(r['negative'])}"
        print(f"{verdict} {r['rule']} {counts}")
        for e in r["errors"]:
            print(f"     error: {e}")
        for n in r["not_run"]:
            print(f"     NOT RUN: {n}")
    if UNSEEN:
        not_run = any(r["not_run"] for r in results if r["rule"] not in UNTESTABLE)
        print(f"{'note' if not_run else 'error'}: sigma/pipeline.yml maps attributes no emitted record carries: "
              f"{', '.join(UNSEEN)}" + (" (some streams could not run)" if not_run else ""))
        failed += 0 if not_run else 1
    if untested:
        print(f"untested (no stream could run, see NOT RUN above): {', '.join(untested)}")
    problems = lint(sorted(RULES.glob("*.yml")))
    for p in problems:
        print(f"lint: {p}")
    failed += len(problems)
    if args.check_readme:
        if readme_table() != table(results):
            print("sigma: README.md's rule table is stale: run `python sigma/evaluate.py --write-readme`")
            failed += 1
    print(f"sigma: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
