import Foundation
import Testing
import TestSupport

/// docs/architecture.md's picture of the layers is the truth about imports: each module imports
/// exactly the project modules the picture gives it, so a wrong-way dependency cannot creep in.
@Suite struct LayeringTests {
    static let projectModules: Set = ["COpenSSL", "CEventPoll", "AuthMockFormats", "AuthMockCrypto", "AuthMockHTTP", "ConfluenceAuthMock",
                                      "ConfluenceAuthMockTesting", "ConfluenceAuthMockCLI"]

    /// `Module ---> A, B` lines of the picture.
    static func picture() throws -> [String: Set<String>] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var edges: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.contains("-->") || line.contains("--->") {
            let parts = line.split(separator: ">", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let module = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: " -"))
            guard projectModules.contains(module) else { continue }
            edges[module] = Set(parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter(projectModules.contains))
        }
        return edges
    }

    /// The project modules a source module's files import.
    static func imports(of module: String) throws -> Set<String> {
        let folder = repositoryRoot.appendingPathComponent("Sources/\(module)")
        var found = Set<String>()
        for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.hasPrefix("import ") {
                let name = String(line.dropFirst("import ".count)).trimmingCharacters(in: .whitespaces)
                if projectModules.contains(name) { found.insert(name) }
            }
        }
        return found
    }

    @Test func everyModuleImportsWhatThePictureSays() throws {
        let picture = try Self.picture()
        #expect(Set(picture.keys) == Self.projectModules.subtracting(["COpenSSL", "CEventPoll"]), "the picture names every Swift module")
        for (module, expected) in picture {
            #expect(try Self.imports(of: module) == expected, "\(module)'s imports")
        }
    }
}
