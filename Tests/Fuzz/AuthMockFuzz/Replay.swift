#if canImport(Glibc)
import Glibc
#endif

/// Runs saved inputs through the targets, as the fuzzer would.
enum Replay {
    static func run(_ arguments: [String]) -> Int32 {
        if arguments[1] == "all" {
            guard arguments.count == 3 else {
                printError("usage: AuthMockFuzz all CORPUS-ROOT")
                return 2
            }
            var total = 0
            for target in FuzzTargets.all { total += replay(target, paths: ["\(arguments[2])/\(target.name)"]) }
            print("replayed \(total) inputs through \(FuzzTargets.all.count) targets")
            return 0
        }
        guard let target = FuzzTargets.named(arguments[1]) else { return 2 }
        print("replayed \(replay(target, paths: Array(arguments.dropFirst(2)))) inputs through \(target.name)")
        return 0
    }

    private static func replay(_ target: FuzzTarget, paths: [String]) -> Int {
        var count = 0
        for file in paths.flatMap(files) {
            guard let bytes = read(file) else {
                printError("AuthMockFuzz: cannot read \(file)")
                exit(1)
            }
            target.run(bytes)
            count += 1
        }
        return count
    }

    /// The regular files at `path`: itself, or everything under it (sorted, so runs are repeatable).
    private static func files(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var found: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            found += files("\(path)/\(name)")
        }
        return found.sorted()
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[0..<count]
            if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
