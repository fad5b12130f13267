// The reloader shows compiler messages with the host's paths: /src/... (the package root in the
// development container) becomes RELOAD_SOURCE_PATH_ON_HOST/..., and nothing else changes.

import Testing

@testable import Backend

@Suite struct CompilerOutputPathsTests {
    let paths = CompilerOutputPaths(packageRoot: "/src", hostRoot: "/home/dev/backend/")!

    @Test func pathsUnderThePackageRootNameTheHostsFolder() {
        let output = """
            /src/packages/backend/Sources/App/Routes/UtilsRoutes.swift:12:5: error: cannot find 'x' in scope
            In file included from /src/packages/backend/Sources/CSQLite/shim.h:1:
            note: see '/src/Package.swift' and (/src/packages/a.swift:3)
            """
        #expect(
            paths.rewrite(output) == """
                /home/dev/backend/packages/backend/Sources/App/Routes/UtilsRoutes.swift:12:5: error: cannot find 'x' in scope
                In file included from /home/dev/backend/packages/backend/Sources/CSQLite/shim.h:1:
                note: see '/home/dev/backend/Package.swift' and (/home/dev/backend/packages/a.swift:3)
                """)
    }

    @Test func otherPathsAndWordsStayAsTheyAre() {
        let output = "/build/src/x.swift /srcs/y.swift src/z.swift /usr/src/w.h /src"
        #expect(paths.rewrite(output) == output)
    }

    @Test func nothingToRewriteWithoutTwoDifferentFolders() {
        #expect(CompilerOutputPaths(packageRoot: "/src", hostRoot: "") == nil)
        #expect(CompilerOutputPaths(packageRoot: "/", hostRoot: "/home/dev") == nil)
        #expect(CompilerOutputPaths(packageRoot: "/src/", hostRoot: "/src") == nil)
    }

    @Test func theSettingComesFromTheEnvironment() {
        let settings = ReloadSettings(
            environment: ["RELOAD_SOURCE_PATH_ON_HOST": "/Users/me/backend"], host: "127.0.0.1", port: 8000,
            serveArguments: ["serve"], packageRoot: "/src")
        #expect(settings.compilerOutputPaths == CompilerOutputPaths(packageRoot: "/src", hostRoot: "/Users/me/backend"))
        let unset = ReloadSettings(environment: [:], host: "127.0.0.1", port: 8000, serveArguments: ["serve"])
        #expect(unset.compilerOutputPaths == nil)
    }
}
