"""`nnvm-opt`: parse, verify, run passes, print; mlir-opt's conventions on xDSL's driver."""

from __future__ import annotations

import argparse
import difflib
import sys
import textwrap
import time
from collections.abc import Sequence

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer
from xdsl.utils.arg_spec import parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException, ParseError
from xdsl.xdsl_opt_main import xDSLOptMain

from nnvm_dialect import plugins
from nnvm_dialect.diagnostics import (
    Diagnostic,
    OpError,
    at_op,
    from_parse_error,
    remember_source,
    take_remarks,
    verify_module,
)
from nnvm_dialect.frontend.mlir import SourceError, load_nnvm, parse_mlir, read_source
from nnvm_dialect.lowering import LOWERING_PASSES
from nnvm_dialect.tools.expected import check_diagnostics, expected_diagnostics
from nnvm_dialect.transforms import NNVM_PASSES

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
        super().__init__("nnvm-opt: the nnvm-dialect graph optimizer", args)

    def register_all_dialects(self) -> None:
        super().register_all_dialects()
        load_nnvm(self.ctx)

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for p in (*NNVM_PASSES, *LOWERING_PASSES, *plugins.PASSES):
            self.register_pass(p.name, lambda p=p: p)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--plugin",
            action="append",
            default=[],
            metavar="FILE.py",
            help="load ops, facts, patterns and passes from a Python file (repeatable)",
        )
        for action in arg_parser._actions:
            if action.dest == "passes":
                action.help = "comma-separated pass pipeline, e.g. 'infer-shape,infer-type'"
            if action.dest == "verify_diagnostics":
                action.help = "check the diagnostics against // expected-error {{...}} comments"
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        arg_parser.epilog = self.pass_listing()

    def pass_listing(self) -> str:
        ours = {p.name: p for p in (*NNVM_PASSES, *LOWERING_PASSES, *plugins.PASSES)}
        lines = ["nnvm passes:"]
        for name, p in ours.items():
            doc = " ".join((p.__doc__ or "").split())
            lines.append(
                textwrap.fill(
                    f"{name:<16}{doc}", 96, initial_indent="  ", subsequent_indent=" " * 18
                )
            )
        others = sorted(set(self.available_passes) - set(ours))
        lines.append("")
        lines.append("xDSL passes (canonicalize, cse, dce, ...):")
        lines.append(
            textwrap.fill(
                ", ".join(others),
                96,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
        return "\n".join(lines)

    def setup_pipeline(self) -> None:
        timer = time.perf_counter()

        def between(prev: ModulePass | None, module: ModuleOp, nxt: ModulePass | None) -> None:
            nonlocal timer
            if prev is not None:
                if self.args.time_passes:
                    elapsed = time.perf_counter() - timer
                    print(f"pass {prev.name}: {elapsed * 1e3:.3f} ms", file=sys.stderr)
                if not self.args.disable_verify:
                    diagnostics = verify_module(module, self.get_input_name())
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
        self.pipeline = PassPipeline.parse_spec(self.available_passes, self.args.passes, between)
        # A pipeline pass (nnvm-lower-cpu) runs as its stages, so each is verified and printed.
        stages = [s for p in self.pipeline.passes for s in getattr(p, "stages", lambda p=p: [p])()]
        self.pipeline = PassPipeline(tuple(stages), between)

    def process(self, text: str, offset: int) -> tuple[ModuleOp | None, list[Diagnostic]]:
        """Parse, verify and transform one chunk; the diagnostics say what went wrong."""
        name = self.get_input_name()
        try:
            module = parse_mlir(self.ctx, text, name, offset, not self.args.no_implicit_module)
        except ParseError as e:
            return None, [from_parse_error(e, offset)]
        if not self.args.disable_verify:
            if diagnostics := verify_module(module, name):
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

    def run(self) -> int:  # type: ignore[override]
        name = self.get_input_name()
        try:
            text = read_source(self.args.input_file)
        except SourceError as e:
            print(e.diagnostic.render(), file=sys.stderr)
            return 1
        remember_source(name, text)
        outputs: list[str] = []
        failed = False
        for chunk, offset in split_chunks(text, self.args.split_input_file):
            module, diagnostics = self.process(chunk, offset)
            if self.args.verify_diagnostics:
                expected = expected_diagnostics(chunk, offset)
                diagnostics = check_diagnostics(name, expected, diagnostics)
            for d in diagnostics:
                print(d.render(), file=sys.stderr)
            failed |= any(d.severity == "error" for d in diagnostics)
            if module is not None:
                outputs.append(self.output_resulting_program(module))
        stream = self.prepare_output()
        stream.write(f"{SPLIT_MARKER}\n".join(outputs))
        if stream is not sys.stdout:
            stream.close()
        return 1 if failed else 0

    def get_input_name(self) -> str:
        return self.args.input_file or "<stdin>"


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
