import Foundation

// confluence-auth-mock: flags → configuration → run. See Usage.swift for the commands.

func fail(_ error: UsageError) -> Never {
    FileHandle.standardError.write(Data("confluence-auth-mock: \(error.message)\n\n\(usage)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "serve":
        ServeCommand.run(try ServeCommand.parse(Array(arguments.dropFirst())))
    case "jwt":
        let request = try JWTCommand.parse(Array(arguments.dropFirst()))
        print(try JWTCommand.token(for: request))
    case "--help", "-h", "help":
        print(usage)
    case nil:
        fail(UsageError("a command is needed"))
    case let other?:
        fail(UsageError("unknown command \"\(other)\""))
    }
} catch let error as UsageError {
    fail(error)
} catch {
    FileHandle.standardError.write(Data("confluence-auth-mock: \(error)\n".utf8))
    exit(1)
}
