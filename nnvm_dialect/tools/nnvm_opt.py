"""`nnvm-opt`: parse, verify, run passes, print; mlir-opt's conventions on xDSL's driver."""

from __future__ import annotations

import argparse
import difflib
import sys
import textwrap
import time
from collections.abc import Sequence

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass, PassPipeline, get_pass_option_infos
from xdsl.printer import Printer
from xdsl.utils.arg_spec import parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from nnvm_dialect import frontend, plugins
from nnvm_dialect.diagnostics import (
    Diagnostic,
    OpError,
    at_op,
    from_parse_error,
    remember_source,
    take_remarks,
    verify_module,
)
from nnvm_dialect.frontend.mlir import (
    SourceError,
    load_nnvm,
    parse_mlir,
    read_source,
    source_name,
)
from nnvm_dialect.lowering import LOWERING_PASSES
from nnvm_dialect.ops.constant import eliding_constants
from nnvm_dialect.tools.expected import check_diagnostics, expected_diagnostics
from nnvm_dialect.tools.targets import TARGETS, TargetError
from nnvm_dialect.transforms import NNVM_PASSES

GENERIC_PASSES = {
    "canonicalize": "apply every op's canonicalization patterns (the `canonicalize` fact)",
    "cse": "common subexpression elimination",
    "dce": "remove ops whose results are unused",
    "licm": "move loop-invariant ops out of loops",
    "apply-pdl": "apply the PDL rewrite patterns of a file: apply-pdl{pdl_file=F.mlir}",
    "apply-pdl-interp": "the same with pdl_interp patterns: apply-pdl-interp{pdl_interp_file=F}",
    "convert-pdl-to-pdl-interp": "compile PDL patterns to the pdl_interp dialect",
    "constant-fold-interp": "fold side-effect-free ops on constants with xDSL's interpreter",
    "control-flow-hoist": "hoist ops out of control flow",
    "transform-interpreter": "run a transform-dialect script",
}
"""xDSL's passes that are useful on nnvm IR, listed by --help after the project's own; the
others (for riscv, csl, stencil, ... IR) are accepted but listed only by --list-passes."""

SPLIT_MARKER = "// -----"


class VerifyFailed(Exception):
    def __init__(self, pass_name: str, diagnostics: list[Diagnostic]):
        super().__init__(pass_name)
        self.pass_name = pass_name
        self.diagnostics = diagnostics


def split_chunks(text: str, split: bool) -> list[tuple[str, int]]:
    """(chunk, number of lines before it) for each part between `// -----` lines.

    Only a line that is just the marker splits, so `// CHECK: // -----` does not. The marker
    line itself starts the next chunk as an empty line, so that line numbers stay those of
    the whole file.
    """
    if not split:
        return [(text, 0)]
    chunks: list[tuple[str, int]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(text.splitlines(keepends=True)):
        if line.strip() == SPLIT_MARKER:
            chunks.append(("".join(current), start))
            current, start = ["\n"], index
        else:
            current.append(line)
    chunks.append(("".join(current), start))
    return chunks


class NnvmOptMain(xDSLOptMain):
    version_format = "nnvm-opt, on xdsl {xdsl_version}"

    def __init__(self, args: Sequence[str] | None = None):
        self.current_pass: str | None = None
        self.wants_help = bool({"-h", "--help"} & set(args or ()))
        super().__init__("nnvm-opt: the nnvm-dialect graph optimizer", args)

    def register_all_dialects(self) -> None:
        super().register_all_dialects()
        load_nnvm(self.ctx)

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for p in (*NNVM_PASSES, *LOWERING_PASSES, *plugins.PASSES):
            self.register_pass(p.name, lambda p=p: p)

    def register_all_targets(self) -> None:
        for name, entry in TARGETS.items():
            self.available_targets[name] = entry.factory

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--input-shape",
            action="append",
            default=[],
            metavar="NAME=1x3x224x224",
            help="fix the dims of a model input when importing .onnx or .json (repeatable)",
        )
        arg_parser.add_argument(
            "--plugin",
            action="append",
            default=[],
            metavar="FILE.py",
            help="load ops, facts, patterns and passes from a Python file (repeatable)",
        )
        arg_parser.add_argument(
            "--list-passes",
            action="store_true",
            help="list every pass, xDSL's passes for other dialects included, and exit",
        )
        arg_parser.add_argument(
            "--list-ops",
            action="store_true",
            help="list every op (the dialect's and the plugins') with its operands, attributes "
            "and dtypes, and exit",
        )
        arg_parser.add_argument(
            "--format",
            choices=("text", "markdown"),
            default="text",
            help="--list-ops as text lines or a markdown table (that of docs/ops.md)",
        )
        arg_parser.add_argument(
            "--check-ops",
            action="store_true",
            help="run the generic op checks (rules against semantics, round trips, dtypes, "
            "mutations) on the plugins' ops (on every op without --plugin), and exit",
        )
        arg_parser.add_argument(
            "--mlir-elide-elementsattrs-if-larger",
            type=int,
            metavar="N",
            help="print constants of more than N elements as dense_resource<__elided__>",
        )
        for action in arg_parser._actions:
            if action.dest == "passes":
                action.help = "comma-separated pass pipeline, e.g. 'infer-shape,infer-type'"
            if action.dest == "verify_diagnostics":
                action.help = "check the diagnostics against // expected-error {{...}} comments"
            if action.dest == "target":
                listing = "; ".join(f"{n}: {e.doc}" for n, e in TARGETS.items())
                action.help = f"output format, one of {listing}"
            if action.dest == "time_passes":
                action.help = (
                    "print the time of parsing, of each pass and the verifier after it, and of "
                    "printing, to stderr"
                )
            if action.dest == "input_file":
                action.help = "input file (.mlir); - or none reads standard input"
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        if self.wants_help:  # the listing imports passes to read their docs
            arg_parser.epilog = self.pass_listing(everything=False)

    def pass_groups(self, everything: bool) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(pass, description)]) for --help and --list-passes."""

        def describe(name: str) -> str:
            try:
                doc = self.available_passes[name]().__doc__ or ""
            except Exception:  # a pass whose module does not import here
                return ""
            return " ".join(doc.split())

        nnvm = [p.name for p in (*NNVM_PASSES, *LOWERING_PASSES)]
        plugin = [p.name for p in plugins.PASSES if p.name not in nnvm]
        generic = [n for n in GENERIC_PASSES if n in self.available_passes]
        shown = {*nnvm, *plugin, *generic}
        rest = sorted(n for n in self.available_passes if n not in shown)
        groups = [
            ("nnvm passes and pipelines:", [(n, describe(n)) for n in nnvm]),
            ("plugin passes:", [(n, describe(n)) for n in plugin]),
            ("generic xDSL passes:", [(n, GENERIC_PASSES[n]) for n in generic]),
        ]
        if everything:
            groups.append(("xDSL passes for other dialects:", [(n, "") for n in rest]))
        else:
            groups.append(
                (
                    f"and {len(rest)} xDSL passes for other dialects (riscv, csl, stencil, ...), "
                    "listed by --list-passes",
                    [],
                )
            )
        return [(title, items) for title, items in groups if items or not title.endswith(":")]

    def pass_listing(self, everything: bool) -> str:
        lines: list[str] = []
        for title, items in self.pass_groups(everything):
            lines.append(title)
            width = min(max((len(n) for n, _ in items), default=0) + 2, 28)
            for name, doc in items:
                if not doc:
                    lines.append(f"  {name}")
                    continue
                head = f"{name:<{width}}" if len(name) < width else f"{name}\n{'':<{width}}"
                lines.append(
                    textwrap.fill(
                        head + doc,
                        96,
                        initial_indent="  ",
                        subsequent_indent=" " * (width + 2),
                        replace_whitespace=False,
                        break_on_hyphens=False,
                    )
                )
            lines.append("")
        return "\n".join(lines).rstrip()

    def setup_pipeline(self) -> None:
        timer = time.perf_counter()

        def between(prev: ModulePass | None, module: ModuleOp, nxt: ModulePass | None) -> None:
            nonlocal timer
            if prev is not None:
                self.report_time(f"pass {prev.name}", timer)
                if not self.args.disable_verify:
                    timer = time.perf_counter()
                    diagnostics = verify_module(module, self.get_input_name())
                    self.report_time(f"  verify after {prev.name}", timer)
                    if diagnostics:
                        raise VerifyFailed(prev.name, diagnostics)
                if nxt is not None and self.args.print_between_passes:
                    print(f"// -----// IR after {prev.name} //----- //", file=sys.stderr)
                    Printer(stream=sys.stderr).print_op(module)
                    print(file=sys.stderr)
            self.current_pass = nxt.name if nxt is not None else None
            timer = time.perf_counter()

        for spec in parse_pipeline(self.args.passes):
            if spec.name not in self.available_passes:
                close = difflib.get_close_matches(spec.name, self.available_passes, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else " (see --help)"
                raise ValueError(f"unknown pass '{spec.name}'{hint}")
            options = get_pass_option_infos(self.available_passes[spec.name]())
            names = [o.name for o in options]
            for arg in spec.normalize_parameter_names().parameters:
                if arg not in names:
                    takes = (
                        "it takes: " + ", ".join(f"{o.name} ({o.expected_type})" for o in options)
                        if options
                        else "it takes no options"
                    )
                    raise ValueError(f"pass '{spec.name}' has no option '{arg}' ({takes})")
        self.pipeline = PassPipeline.parse_spec(self.available_passes, self.args.passes, between)
        # A pipeline pass (nnvm-lower-cpu) runs as its stages, so each is verified and printed.
        stages = [s for p in self.pipeline.passes for s in getattr(p, "stages", lambda p=p: [p])()]
        self.pipeline = PassPipeline(tuple(stages), between)

    def report_time(self, what: str, since: float) -> None:
        """`--time-passes`: one line per stage on stderr, the verifier's share on its own."""
        if self.args.time_passes:
            print(f"{what}: {(time.perf_counter() - since) * 1e3:.3f} ms", file=sys.stderr)

    def process(
        self, text: str, offset: int, imported: ModuleOp | None = None
    ) -> tuple[ModuleOp | None, list[Diagnostic]]:
        """Parse (unless `imported` is given), verify and transform one chunk; the diagnostics
        say what went wrong."""
        name = self.get_input_name()
        timer = time.perf_counter()
        try:
            module = imported or parse_mlir(
                self.ctx, text, name, offset, not self.args.no_implicit_module
            )
        except ParseError as e:
            return None, [from_parse_error(e, offset)]
        self.report_time("parse", timer)
        if not self.args.disable_verify:
            timer = time.perf_counter()
            diagnostics = verify_module(module, name)
            self.report_time("  verify the input", timer)
            if diagnostics:
                return None, diagnostics
        take_remarks()
        try:
            self.apply_passes(module)
        except VerifyFailed as e:
            return None, take_remarks() + e.diagnostics
        except OpError as e:
            return None, [*take_remarks(), at_op(e.op, e.message, name)]
        except DiagnosticException as e:
            message = f"pass {self.current_pass} failed: {e.args[0]}"
            return None, [*take_remarks(), Diagnostic(message, name)]
        except Exception as e:  # a crash in a pass is our bug, not the user's
            message = f"internal error in pass {self.current_pass}: {type(e).__name__}: {e}"
            return None, [*take_remarks(), Diagnostic(message, name)]
        return module, take_remarks()

    def emit(self, module: ModuleOp) -> tuple[str | None, list[Diagnostic]]:
        """The module printed by the `-t` target, or why the target cannot print it."""
        name = self.get_input_name()
        timer = time.perf_counter()
        try:
            with eliding_constants(self.args.mlir_elide_elementsattrs_if_larger):
                text = self.output_resulting_program(module)
        except TargetError as e:
            message = f"target '{self.args.target}': {e.message}"
            return None, [at_op(e.op, e.message, name) if e.op else Diagnostic(message, name)]
        except Exception as e:  # a crash in a target is our bug, not the user's
            if isinstance(getattr(e, "op", None), Operation):  # a target's own TargetError kind
                return None, [at_op(e.op, str(e), name)]  # pyright: ignore
            message = f"internal error in target '{self.args.target}': {type(e).__name__}: {e}"
            return None, [Diagnostic(message, name)]
        self.report_time(f"target {self.args.target}", timer)
        return text, []

    def run(self) -> int:  # type: ignore[override]
        if self.args.list_passes:
            print(self.pass_listing(everything=True))
            return 0
        if self.args.list_ops:
            print(list_ops(self.args.format))
            return 0
        if self.args.check_ops:
            from nnvm_dialect.tools.check_ops import registered_ops, report

            ops = [op for op in registered_ops() if op in plugins.OPS] or registered_ops()
            text, ok = report(ops)
            print(text)
            return 0 if ok else 1
        name = self.get_input_name()
        if frontend.is_model_file(self.args.input_file):
            return self.run_model()
        try:
            text = read_source(self.args.input_file)
        except SourceError as e:
            print(e.diagnostic.render(), file=sys.stderr)
            return 1
        remember_source(name, text)
        try:  # before any work, and after reading: `-o` may name the input file
            stream = self.prepare_output()
        except OSError as e:
            out = self.args.output_file
            print(f"{out}: error: cannot open output file: {e.strerror}", file=sys.stderr)
            return 1
        outputs: list[str] = []
        failed = False
        for chunk, offset in split_chunks(text, self.args.split_input_file):
            module, diagnostics = self.process(chunk, offset)
            output = None
            if module is not None:
                output, emitted = self.emit(module)
                diagnostics = diagnostics + emitted  # remarks of the passes come first
            if self.args.verify_diagnostics:
                expected = expected_diagnostics(chunk, offset)
                diagnostics = check_diagnostics(name, expected, diagnostics)
            for d in diagnostics:
                print(d.render(), file=sys.stderr)
            failed |= any(d.severity == "error" for d in diagnostics)
            if output is not None:
                outputs.append(output)
        stream.write(f"{SPLIT_MARKER}\n".join(outputs))
        if stream is not sys.stdout:
            stream.close()
        return 1 if failed else 0

    def run_model(self) -> int:
        """An .onnx or .json model: imported, then the passes and the target as for .mlir."""
        try:
            module = frontend.load(self.args.input_file, self.args.input_shape)
        except frontend.FrontendError as e:
            diagnostics = e.diagnostics
            module = None
        except ValueError as e:  # a malformed --input-shape
            diagnostics, module = [Diagnostic(str(e))], None
        else:
            self.ctx.get_optional_dialect("builtin")  # prints the weights' resource blobs
            module, diagnostics = self.process("", 0, module)
        for d in diagnostics:
            print(d.render(), file=sys.stderr)
        if module is None:
            return 1
        text, errors = self.emit(module)
        for d in errors:
            print(d.render(), file=sys.stderr)
        if text is None:
            return 1
        try:
            stream = self.prepare_output()
        except OSError as e:
            out = self.args.output_file
            print(f"{out}: error: cannot open output file: {e.strerror}", file=sys.stderr)
            return 1
        stream.write(text)
        if stream is not sys.stdout:
            stream.close()
        return 1 if any(d.severity == "error" for d in diagnostics) else 0

    def get_input_name(self) -> str:
        return source_name(self.args.input_file)


def list_ops(form: str) -> str:
    from nnvm_dialect.ops.base import NnvmOp
    from nnvm_dialect.tools import ops_doc

    ours = ops_doc.dialect_ops()
    theirs = [op for op in plugins.OPS if issubclass(op, NnvmOp)]
    if form == "markdown":
        return ops_doc.markdown_table([*ours, *theirs])
    head = f"{len(ours) + len(theirs)} ops ({len(ours)} nnvm, {len(theirs)} from plugins):"
    return f"{head}\n{ops_doc.text_listing([*ours, *theirs])}"


def preload_plugins(argv: Sequence[str]) -> None:
    """Plugins add passes and ops, so they load before the driver registers them."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--plugin", action="append", default=[])
    known, _ = pre.parse_known_args(argv)
    for path in known.plugin:
        plugins.load_plugin(path)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        preload_plugins(argv)
        tool = NnvmOptMain(argv)
    except plugins.PluginError as e:
        sys.exit(f"{e}")
    except (ValueError, ArgSpecParseError) as e:
        sys.exit(f"nnvm-opt: error: in the pass pipeline: {e}")
    except SystemExit as e:  # argparse reports usage errors with status 2
        sys.exit(0 if e.code in (0, None) else 1)
    try:
        sys.exit(tool.run())
    except BrokenPipeError:  # `nnvm-opt ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
