import Foundation
import Testing
import TestSupport

/// Every seed input of the fuzz targets (Tests/Fuzz/Corpus), crashes once found among them, is
/// replayed through its target: none may trap (scripts/fuzz.sh does the fuzzing itself).
@Suite struct FuzzCorpusTests {
    static let harness = builtProduct("AuthMockFuzz")
    static let corpus = repositoryRoot.appendingPathComponent("Tests/Fuzz/Corpus")

    @Test func everySeedReplaysWithoutATrap() throws {
        let targets = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(targets == ["base64url", "form", "http-request", "json", "jwt", "multipart", "qsh", "route", "scenario", "sse", "state"])
        let seeds = targets.reduce(0) { count, target in
            count + ((try? FileManager.default.contentsOfDirectory(atPath: Self.corpus.appendingPathComponent(target).path).count) ?? 0)
        }
        let run = try runProcess(Self.harness.path, ["all", Self.corpus.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "replayed \(seeds) inputs through \(targets.count) targets\n")
    }

    @Test func anUnknownTargetIsAUsageError() throws {
        let run = try runProcess(Self.harness.path, ["no-such-target"])
        #expect(run.status == 2 && run.stderr.hasPrefix("usage: AuthMockFuzz TARGET|all"))
    }
}
