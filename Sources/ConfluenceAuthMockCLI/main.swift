#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// confluence-auth-mock: flags → configuration → run. See Usage.swift for the commands.

func fail(_ error: UsageError) -> Never {
    emit("confluence-auth-mock: \(error.message)\n\n\(usage)\n", to: 2)
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "serve":
        let (scenarioFile, options) = try ServeCommand.parse(Array(arguments.dropFirst()))
        ServeCommand.run(scenarioFile: scenarioFile, options: options)
    case "validate":
        exit(try ValidateCommand.run(Array(arguments.dropFirst())))
    case "schema":
        try SchemaCommand.run(Array(arguments.dropFirst()))
    case "tail":
        exit(TailCommand.run(try TailCommand.parse(Array(arguments.dropFirst()))))
    case "health":
        exit(HealthCommand.run(try HealthCommand.parse(Array(arguments.dropFirst()))))
    case "catalog":
        try CatalogCommand.run(Array(arguments.dropFirst()))
    case "scopes":
        exit(ScopesCommand.run(try ScopesCommand.parse(Array(arguments.dropFirst()))))
    case "jwt":
        let request = try JWTCommand.parse(Array(arguments.dropFirst()))
        emit(try JWTCommand.token(for: request) + "\n", to: 1)
    case "--help", "-h", "help":
        emit(usage + "\n", to: 1)
    case nil:
        fail(UsageError("a command is needed"))
    case let other?:
        fail(UsageError("unknown command \"\(other)\""))
    }
} catch let error as UsageError {
    fail(error)
} catch {
    emit("confluence-auth-mock: \(error)\n", to: 2)
    exit(1)
}
