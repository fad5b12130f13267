#!/usr/bin/env python3
"""Writes the fixed-arity overloads that keep parameter packs out of the request path (a pack
expansion asks the runtime for its element types' metadata on every request, even when inlined):

  packages/backend/Sources/Web/Models/ModelFields+Arity.swift     ModelFields for 1 to MAX_FIELDS fields
  packages/backend/Sources/Web/Routing/RouteDeclarer+Arity.swift  routes with 0 to MAX_INPUTS inputs

The variadic versions stay for larger counts. Run this after changing the shape of either; it
formats its output with swift format."""

import subprocess
from pathlib import Path

MAX_FIELDS = 6  # what App models use; larger models take the variadic path (tested)
MAX_INPUTS = 3  # what App routes use; more inputs take the variadic path (tested)
WEB = Path(__file__).resolve().parent.parent / "packages/backend/Sources/Web"


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
            line
            for name, letter, value in zip(names, types, read)
            for line in [
                f"                if key.equals({name}.key) {{",
                f"                    {value} = {letter}.read(from: &reader, constraints: {name}.constraints)",
                f"                    return {value} != nil",
                "                }",
            ]
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


def write(path: Path, header: str, extension: str, members: list[list[str]]) -> None:
    body = "\n\n".join("\n".join(member) for member in members)
    path.write_text(f"{header}\nextension {extension} {{\n{body}\n}}\n")
    subprocess.run(["swift", "format", "--in-place", str(path)], check=True)


def main() -> None:
    write(
        WEB / "Models/ModelFields+Arity.swift",
        f"""\
// ModelFields initializers for one to {MAX_FIELDS} fields, written out so that each model's decoder
// and reader are straight-line code for its concrete field types: no parameter pack at run time
// (see `ModelFields.init(_:_:)` in Model.swift). Generated by scripts/generate-arity.py.

import HTTPServer
""",
        "ModelFields",
        [model_fields(count) for count in range(1, MAX_FIELDS + 1)],
    )
    write(
        WEB / "Routing/RouteDeclarer+Arity.swift",
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
    )


if __name__ == "__main__":
    main()
