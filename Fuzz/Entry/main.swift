import FuzzTargets
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer's driver, run on one of the fuzz targets (built only by scripts/fuzz.sh, with
// `-sanitize=fuzzer`). The target comes from `LOADGEN_FUZZ_TARGET`; the arguments are libFuzzer's.

/// libFuzzer's entry to its own driver (`FuzzerInterface.h`), in the runtime `-sanitize=fuzzer` links.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) var target = FuzzTarget.sse

let name = getenv("LOADGEN_FUZZ_TARGET").map { String(cString: $0) } ?? ""
guard let chosen = FuzzTarget(rawValue: name) else {
    fputs("loadgen-fuzz: set LOADGEN_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
    exit(2)
}
target = chosen

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv) { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let problem = target.run(bytes) {
        fatalError("\(target.rawValue): \(problem)")
    }
    return 0
})
