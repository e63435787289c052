import ConfluenceAuthMock

/// `validate FILE...`: every error of every file; exit 0 when all are valid, 1 otherwise.
enum ValidateCommand {
    static func run(_ files: [String]) throws(UsageError) -> Int32 {
        guard !files.isEmpty else { throw UsageError("validate needs at least one scenario file") }
        if let flag = files.first(where: { $0.hasPrefix("--") }) { throw UsageError("unknown argument \"\(flag)\"") }
        var failed = false
        for file in files {
            do {
                let scenario = try Scenario.load(contentsOfFile: file)
                emit("\(file): ok (\(scenario.displayName))\n", to: 1)
            } catch {
                failed = true
                emit(error.description + "\n", to: 2)
            }
        }
        return failed ? 1 : 0
    }
}

/// `schema`: prints scenarios/schema.json (embedded in the binary).
enum SchemaCommand {
    static func run(_ arguments: [String]) throws(UsageError) {
        try Arguments(arguments).finish()
        emit(BundledFiles.schema + "\n", to: 1)
    }
}
