import Foundation
import Testing

/// `freshchat-emulator --healthcheck`, the container HEALTHCHECK (docker/Dockerfile).
@Suite
struct HealthCheckTests {
    @Test func healthcheck_ExitsZeroWithTheHealthBody_WhenTheServerAnswers() throws {
        // HealthCheck.run: the port comes from FRESHCHAT_EMULATOR_PORT as in the image; 0.0.0.0 is probed on loopback.
        let emulator = try RunningEmulator()
        let (termination, output) = try LifecycleTests.run(
            ["--healthcheck"],
            environment: ["FRESHCHAT_EMULATOR_PORT": String(emulator.port), "FRESHCHAT_EMULATOR_HOST": "0.0.0.0"])
        #expect(termination == .exited(0))
        #expect(output.contains(#""status":"ok""#), "\(output)")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func healthcheck_ExitsOne_WhenNothingListens() throws {
        // A port that was just free: connect is refused, the probe reports unhealthy.
        let emulator = try RunningEmulator()
        let port = emulator.port
        #expect(emulator.terminate() == .exited(0))
        let (termination, output) = try LifecycleTests.run(["--healthcheck", "--port", String(port)])
        #expect(termination == .exited(1))
        #expect(output.contains("unhealthy"), "\(output)")
    }
}
