import Foundation
import Testing

/// Every Swift block of README.md stands, to the letter, in a file of this target (or in the
/// example consumer's Package.swift), where it compiles and runs; and this target imports only
/// what a client package can: the two products and the toolchain's modules.
@Suite struct ReadmeMirrorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent("Tests/ReadmeExampleTests")
    static let mirrors = ["Examples/ConsumerPackage/Package.swift"]

    /// The text of each ```swift block of a Markdown file.
    static func swiftBlocks(of file: String) throws -> [String] {
        var blocks: [String] = [], current: [Substring]?
        for line in try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" {
                current = []
            } else if let lines = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    static func sourceFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "swift" }
    }

    @Test func everyReadmeSwiftBlockIsCompiledHere() throws {
        let blocks = try Self.swiftBlocks(of: "README.md")
        #expect(!blocks.isEmpty)
        let texts = try Self.sourceFiles().map { try String(contentsOf: $0, encoding: .utf8) }
            + Self.mirrors.map { try String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8) }
        for block in blocks {
            #expect(texts.contains { $0.contains(block) }, "README.md's block is not in Tests/ReadmeExampleTests or \(Self.mirrors):\n\(block)")
        }
    }

    @Test func importsOnlyTheProductsAndTheToolchain() throws {
        let allowed: Set = ["ConfluenceAuthMock", "ConfluenceAuthMockTesting", "Foundation", "FoundationNetworking", "Testing", "XCTest"]
        for file in try Self.sourceFiles() {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@") && line.contains(" import ") {
                let module = String(line.split(separator: " ").last ?? "")
                #expect(allowed.contains(module), "\(file.lastPathComponent): \(line)")
            }
        }
    }
}
