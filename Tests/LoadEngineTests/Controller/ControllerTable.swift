@testable import LoadEngine
import LoadCore
import XCTest

/// One row of a controller table: an event at a time after the origin, and the exact commands expected.
struct ControllerStep {
    var event: ControllerEvent
    var atRun: UInt64
    var expected: [ControllerCommand]
    var line: UInt

    init(_ event: ControllerEvent, at atRun: UInt64, _ expected: [ControllerCommand], line: UInt = #line) {
        self.event = event
        self.atRun = atRun
        self.expected = expected
        self.line = line
    }
}

extension ControllerDriver {
    /// Sends each row's event and asserts its commands, row by row.
    func play(_ steps: [ControllerStep], file: StaticString = #filePath) {
        for step in steps {
            let commands = send(step.event, atRun: step.atRun, file: file, line: step.line)
            XCTAssertEqual(commands, step.expected, "at \(Double(step.atRun) / 1e6) ms", file: file, line: step.line)
        }
    }

    /// The absolute time `runNanos` after the origin, for expected wake commands.
    func wake(_ runNanos: UInt64) -> ControllerCommand {
        .armWake(atNanos: origin + runNanos)
    }
}
