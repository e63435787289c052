#if FUZZING
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point when the program has its own `main` (the fuzzer's is not linked in).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The target libFuzzer calls: named by the first argument, so a C callback can reach it.
private let selected = FuzzTargets.named(CommandLine.arguments[1])

/// Hands the process to libFuzzer with the target's name taken out of the arguments.
enum Fuzzing {
    static func run(_ arguments: [String]) -> Int32 {
        let rest = [arguments[0]] + arguments.dropFirst(2)
        var argc = Int32(rest.count)
        var pointers = rest.map { strdup($0) } + [nil]
        return pointers.withUnsafeMutableBufferPointer { buffer in
            var argv = buffer.baseAddress!
            return runDriver(&argc, &argv) { data, size in
                selected?.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                return 0
            }
        }
    }
}
#endif
