"""Convert rules/ into each SIEM's query language with the maintained pySigma backends.

    python sigma/convert.py [--backends a,b] [--out DIR] [--check]

Writes deploy/rules/<backend>/<rule>.<ext> and deploy/rules/<backend>/STATUS.tsv (one line per
rule: converted, base-only or not-expressible, with the backend's own reason). --check converts
into a temporary folder and fails, naming the files, when deploy/rules/ differs from it.

Datadog's backend only exists for pySigma 0.11, so it is converted by the same script run from
a second virtualenv (sigma/requirements-datadog.txt); each backend only touches its own folder.
"""
from __future__ import annotations

import argparse
import filecmp
import importlib
import json
import sys
import tempfile
from pathlib import Path

import yaml
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule
from sigma.exceptions import SigmaError

from target_pipelines import KQL_FUNCTION, kql_function, pipeline_for

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
DEPLOY = ROOT / "deploy" / "rules"

# name -> (module, class, file extension, what it targets)
BACKENDS = {
    "sentinel-kql": ("sigma.backends.kusto", "KustoBackend", "kql", "Microsoft Sentinel (KQL)"),
    "elastic-esql": ("sigma.backends.elasticsearch", "ESQLBackend", "esql", "Elastic (ES|QL)"),
    "splunk-spl": ("sigma.backends.splunk", "SplunkBackend", "spl", "Splunk (SPL)"),
    "sumologic-cse": ("sigma.backends.sumologic", "SumoLogicCSEBackend", "json", "Sumo Logic Cloud SIEM (CSE rule)"),
    "datadog": ("sigma.backends.datadog", "DatadogBackend", "txt", "Datadog (log search query)"),
}
DEFAULT_BACKENDS = ["sentinel-kql", "elastic-esql", "splunk-spl", "sumologic-cse"]


def rule_files() -> list[Path]:
    return sorted(RULES.glob("*.yml"))


def finalize(backend: str, query) -> str:
    if backend == "sentinel-kql":
        return f"{KQL_FUNCTION}\n| where {query}\n"
    if backend == "sumologic-cse":
        doc = json.loads(query)
        for rule in doc.get("rules", []):
            # The only value that changes from run to run; it would make --check useless.
            rule.get("conversion_metadata", {}).pop("conversion_timestamp", None)
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"
    return str(query).rstrip("\n") + "\n"


def convert_file(backend_cls, pipeline_factory, path: Path):
    """-> (status, queries, note). Correlations a backend cannot express fall back to base queries."""
    text = path.read_text()
    collection = SigmaCollection.from_yaml(text)
    has_correlation = any(isinstance(r, SigmaCorrelationRule) for r in collection.rules)
    try:
        return "converted", backend_cls(pipeline_factory()).convert(collection), ""
    except (NotImplementedError, SigmaError) as err:
        reason = " ".join(str(err).split())
        if not has_correlation:
            return "not-expressible", [], reason
    # The detection half still converts: the SIEM's own alert threshold has to do the counting.
    bases = [d for d in yaml.safe_load_all(text) if "correlation" not in d]
    for d in bases:
        d.pop("name", None)
    base = SigmaCollection.from_dicts(bases)
    try:
        queries = backend_cls(pipeline_factory()).convert(base)
    except (NotImplementedError, SigmaError) as err:
        return "not-expressible", [], f"{reason}; base rule: {' '.join(str(err).split())}"
    return "base-only", queries, f"{reason} Only the event queries are converted: apply the threshold or sequence in the SIEM's alerting."


def convert_backend(backend: str, out: Path) -> None:
    module, cls, ext, _ = BACKENDS[backend]
    backend_cls = getattr(importlib.import_module(module), cls)
    folder = out / backend
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    status_lines = ["rule\tstatus\tnote"]
    for path in rule_files():
        status, queries, note = convert_file(backend_cls, lambda: pipeline_for(backend), path)
        for i, q in enumerate(queries):
            suffix = "" if len(queries) == 1 else f".{i + 1}"
            kind = ".base" if status == "base-only" else ""
            (folder / f"{path.stem}{kind}{suffix}.{ext}").write_text(finalize(backend, q))
        status_lines.append(f"{path.stem}\t{status}\t{note}")
    (folder / "STATUS.tsv").write_text("\n".join(status_lines) + "\n")
    if backend == "sentinel-kql":
        (folder / f"{KQL_FUNCTION}.kql").write_text(kql_function())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default=",".join(DEFAULT_BACKENDS))
    parser.add_argument("--out", type=Path, default=DEPLOY)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown:
        print(f"convert: unknown backend(s) {', '.join(unknown)}; known: {', '.join(BACKENDS)}", file=sys.stderr)
        return 2
    if not args.check:
        for b in backends:
            convert_backend(b, args.out)
        print(f"convert: wrote {', '.join(str(args.out / b) for b in backends)}")
        return 0
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for b in backends:
            convert_backend(b, Path(tmp))
            cmp = filecmp.dircmp(Path(tmp) / b, DEPLOY / b) if (DEPLOY / b).is_dir() else None
            if cmp is None:
                stale.append(f"{DEPLOY / b} (missing)")
                continue
            stale += [f"{DEPLOY / b / n}" for n in cmp.diff_files + cmp.left_only + cmp.right_only]
            # dircmp compares shallowly on size+mtime; compare contents to be sure.
            stale += [str(DEPLOY / b / n) for n in cmp.same_files
                      if (Path(tmp) / b / n).read_bytes() != (DEPLOY / b / n).read_bytes()]
    if stale:
        print("convert --check: deploy/rules is not what rules/ converts to; run `python sigma/convert.py`"
              f" (and --backends datadog in the Datadog venv). Differs: {', '.join(stale)}", file=sys.stderr)
        return 1
    print(f"convert --check: deploy/rules is current for {', '.join(backends)} ({len(rule_files())} rule files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
