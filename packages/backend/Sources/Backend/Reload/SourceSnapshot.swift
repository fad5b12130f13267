// A snapshot of the build inputs under the watched roots: path, size and mtime of every source
// file, and the folders (for inotify watches). Two equal snapshots mean nothing to rebuild.

#if canImport(Glibc)
    import Glibc
#endif

struct SourceSnapshot: Equatable {
    struct Stamp: Equatable {
        let path: String
        let size: Int
        let modified: Int
    }

    private(set) var files: [Stamp] = []
    private(set) var folders: [String] = []

    /// Equal when the source files are; folders alone trigger no build.
    static func == (a: SourceSnapshot, b: SourceSnapshot) -> Bool { a.files == b.files }

    static let sourceSuffixes = [".swift", ".c", ".h", ".cpp", ".modulemap", "Package.swift", "Package.resolved"]

    /// Walks `roots` (files or folders), skipping hidden entries such as `.build` and `.git`.
    init(roots: [String]) {
        for root in roots { visit(root) }
        files.sort { $0.path < $1.path }
    }

    private mutating func visit(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            folders.append(path)
            guard let directory = opendir(path) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                visit(path + "/" + name)
            }
        case S_IFREG where Self.sourceSuffixes.contains(where: path.hasSuffix):
            let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            files.append(Stamp(path: path, size: Int(info.st_size), modified: modified))
        default:
            return
        }
    }
}
