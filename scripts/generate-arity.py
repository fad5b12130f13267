#!/usr/bin/env python3
"""Writes the fixed-arity overloads that keep parameter packs out of the request path (a pack
expansion asks the runtime for its element types' metadata on every request, even when inlined):

  packages/backend/Sources/Web/Modeling/ModelFields+Arity.swift     ModelFields for 1 to MAX_FIELDS fields
  packages/backend/Sources/Web/Routing/RouteDeclarer+Arity.swift  routes with 0 to MAX_INPUTS inputs

The variadic versions stay for larger counts. Run this after changing the shape of either; it
formats its output with swift format (the repository's .swift-format).

  python3 scripts/generate-arity.py            rewrites both files
  python3 scripts/generate-arity.py --check    changes nothing; exits 1, naming each file and the
                                               command, when a file differs from what it would write
                                               (scripts/test runs this before the tests)"""

import difflib
import subprocess
import sys
from pathlib import Path

MAX_FIELDS = 6  # what App models use; larger models take the variadic path (tested)
MAX_INPUTS = 3  # what App routes use; more inputs take the variadic path (tested)
ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "packages/backend/Sources/Web"


def letters(count: int) -> list[str]:
    return [chr(ord("A") + index) for index in range(count)]


def declare_read(read: list[str], types: list[str]) -> str:
    """The variables that hold the values read, nil until their key is."""
    if len(read) == 1:
        return f"            var {read[0]}: {types[0]}? = nil"
    optionals = ", ".join(f"{letter}?" for letter in types)
    return f"            var ({', '.join(read)}): ({optionals}) = ({', '.join('nil' for _ in read)})"


def model_fields(count: int) -> list[str]:
    types = letters(count)
    names = [letter.lower() for letter in types]
    read = [f"read{letter}" for letter in types]
    return [
        "    @inlinable",
        f"    public init<{', '.join(f'{letter}: JSONCodable' for letter in types)}>(",
        f"        _ make: @escaping @Sendable ({', '.join(types)}) -> M,",
        ",\n".join(f"        _ {name}: Field<M, {letter}>" for name, letter in zip(names, types)),
        "    ) {",
        f"        self.init({', '.join(names)}) {{ object, missingInput, location, issues in",
        *[f"            let {name} = {name}.readMember(object, missingInput, location, issues)" for name in names],
        f"            guard {', '.join(f'let {name}' for name in names)} else {{ return nil }}",
        f"            return make({', '.join(names)})",
        "        } reader: { reader in",
        declare_read(read, types),
        "            let complete = reader.readObject { reader, key in",
        *[
            f"                if let read = {name}.read(key, from: &reader, into: &{value}) {{ return read }}"
            for name, value in zip(names, read)
        ],
        "                return reader.skipValue()",
        "            }",
        f"            guard complete, {', '.join(f'let {value} = {value} ?? {name}.absent' for name, value in zip(names, read))} else {{ return nil }}",
        f"            return make({', '.join(read)})",
        "        }",
        "    }",
    ]


def route_declarer(count: int) -> list[str]:
    types = letters(count)
    names = [letter.lower() for letter in types]
    generics = [f"{letter}: RouteInput" for letter in types] + ["Output: ResponseEncodable"]
    inputs = "".join(f"_ {name}: {letter}, " for name, letter in zip(names, types))
    unwrap = "".join(f", let {name}" for name in names)
    return [
        "    @inlinable",
        f"    public func callAsFunction<{', '.join(generics)}>(",
        "        _ path: String, name: String, summary: String? = nil, description: String? = nil,",
        f"        status: HTTPStatus = .ok, includeInSchema: Bool = true, {inputs}",
        f"        handler: nonisolated(nonsending) @escaping @Sendable ({', '.join(f'{letter}.Value' for letter in types)}) async throws -> Output",
        "    ) {",
        "        declare(",
        "            path, name: name, summary: summary, description: description, status: status,",
        f"            includeInSchema: includeInSchema, inputs: [{', '.join(names)}], output: Output.self",
        "        ) { context in",
        *[f"            let {name} = try {name}.extract(context)" for name in names],
        f"            guard context.issues.isEmpty{unwrap} else {{ throw RequestValidationError(context.issues.all) }}",
        f"            return try await handler({', '.join(names)}).makeResponse(status: status)",
        "        }",
        "    }",
    ]


def render(header: str, extension: str, members: list[list[str]]) -> str:
    """The file's text, formatted as `swift format` formats it in the repository."""
    body = "\n\n".join("\n".join(member) for member in members)
    source = f"{header}\nextension {extension} {{\n{body}\n}}\n"
    formatted = subprocess.run(
        ["swift", "format", "format", "--configuration", str(ROOT / ".swift-format")],
        input=source, capture_output=True, text=True, check=True)
    return formatted.stdout


def files() -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    return {
        WEB / "Modeling/ModelFields+Arity.swift": render(
            f"""\
// ModelFields initializers for one to {MAX_FIELDS} fields, written out so that each model's decoder
// and reader are straight-line code for its concrete field types: no parameter pack at run time
// (see `ModelFields.init(_:_:)` in Model.swift). Generated by scripts/generate-arity.py.

import JSON
""",
            "ModelFields",
            [model_fields(count) for count in range(1, MAX_FIELDS + 1)],
        ),
        WEB / "Routing/RouteDeclarer+Arity.swift": render(
            f"""\
// Route declarations with zero to {MAX_INPUTS} inputs, written out so that each endpoint extracts its
// inputs and calls its handler as straight-line code for their concrete types: no parameter pack
// at run time (see `RouteDeclarer.callAsFunction` in Router.swift). Inlinable, so that the endpoint
// is compiled where the route is declared, for its inputs' types. Generated by
// scripts/generate-arity.py.

import HTTPServer
""",
            "RouteDeclarer",
            [route_declarer(count) for count in range(0, MAX_INPUTS + 1)],
        ),
    }


def check() -> int:
    """0 when every generated file holds what this script writes; else 1, each stale file named."""
    stale = 0
    for path, expected in files().items():
        name = path.relative_to(ROOT)
        actual = path.read_text() if path.exists() else ""
        if actual == expected:
            continue
        stale += 1
        diff = list(difflib.unified_diff(
            actual.splitlines(keepends=True), expected.splitlines(keepends=True),
            f"{name} (in the tree)", f"{name} (generated)"))
        print(f"{name} differs from what scripts/generate-arity.py generates:", file=sys.stderr)
        sys.stderr.writelines(diff[:40])
        if len(diff) > 40:
            print(f"... ({len(diff) - 40} more diff lines)", file=sys.stderr)
    if stale:
        print("Regenerate with: python3 scripts/generate-arity.py (and commit the result)", file=sys.stderr)
    return 1 if stale else 0


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    if sys.argv[1:]:
        sys.exit("usage: generate-arity.py [--check]")
    for path, text in files().items():
        path.write_text(text)


if __name__ == "__main__":
    main()
