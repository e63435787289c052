// The fuzz harness: one executable for every target (FuzzTargets.swift).
//
// Built normally, it replays inputs: `AuthMockFuzz TARGET FILE|DIR...` runs each file (a folder's
// files, recursively) through TARGET, and `AuthMockFuzz all CORPUS-ROOT` runs each target over
// CORPUS-ROOT/TARGET. A test replays the checked-in corpora this way, so an input that once
// crashed a target stays a regression test. Built by scripts/fuzz.sh (libFuzzer's coverage and
// AddressSanitizer, `-D FUZZING`), `AuthMockFuzz TARGET [libFuzzer options] [CORPUS...]` fuzzes.
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2, arguments[1] == "all" || FuzzTargets.named(arguments[1]) != nil else {
    let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
    printError("usage: AuthMockFuzz TARGET|all [FILE|DIR...]  (targets: \(names))")
    exit(2)
}

#if FUZZING
exit(Fuzzing.run(arguments))
#else
exit(Replay.run(arguments))
#endif
