// A real SMTP server for tests (MailTests, AppTests): the aiosmtpd sink (smtp_sink.py) in a
// child process on an ephemeral 127.0.0.1 port with the messages it received, and a self-signed
// certificate made with the openssl command for its TLS modes.

import Foundation
import Glibc
import Mail

/// One message as the sink received it, decoded by Python's email package.
public struct ReceivedMessage: Decodable, Sendable {
    public let mailFrom: String
    public let rcptTos: [String]
    public let tls: Bool
    public let login: String?
    public let headers: [String: String]
    public let contentType: String
    public let parts: [String: String]
    public let transferEncodings: [String]
    public let raw: String
}

public final class SMTPSink {
    public enum Mode: String {
        case plain, starttls, ssl, drip
    }

    /// Why the sink cannot run here (no python3, or aiosmtpd neither importable nor installable), or nil.
    public static let unavailableReason: String? = {
        if run("python3", "-c", "import aiosmtpd") { return nil }
        if run("python3", "-m", "pip", "install", "--quiet", "aiosmtpd"), run("python3", "-c", "import aiosmtpd") {
            return nil
        }
        return "python3 with aiosmtpd is needed (pip install aiosmtpd)"
    }()

    public let port: Int
    private let directory: URL
    private let process = Process()
    private let input = Pipe()

    /// Starts a sink; `options` are smtp_sink.py's (--login, --refuse, ...). TLS modes use `TestCertificate`.
    public init(_ mode: Mode = .plain, _ options: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = [Self.script, "--dir", directory.path, "--mode", mode.rawValue] + options
        if mode == .starttls || mode == .ssl {
            let certificate = try TestCertificate.files()
            arguments += ["--cert", certificate.cert, "--key", certificate.key]
        }
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw SinkError(message: "smtp_sink.py exited before listening") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            throw SinkError(message: "unexpected first line from smtp_sink.py: \(text)")
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received so far, oldest first.
    public func messages() throws -> [ReceivedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted { Int($0.prefix { $0.isNumber })! < Int($1.prefix { $0.isNumber })! }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try names.map {
            try decoder.decode(ReceivedMessage.self, from: Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }

    /// Settings pointing at this sink, sending as "Full Stack FastAPI Project <info@example.com>".
    public func settings(
        host: String = "127.0.0.1", security: SMTPSecurity = .plain, verifyCertificates: Bool = true,
        trustTestCertificate: Bool = false, user: String? = nil, password: String? = nil
    ) throws -> MailSettings {
        MailSettings(
            host: host, port: port, security: security, user: user, password: password,
            fromEmail: "info@example.com", fromName: "Full Stack FastAPI Project",
            verifyCertificates: verifyCertificates,
            caFile: trustTestCertificate ? try TestCertificate.files().cert : nil,
            timeoutSeconds: 5)
    }

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("smtp_sink.py").path

    private static func run(_ arguments: String...) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

public struct SinkError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A self-signed certificate for localhost and 127.0.0.1, made once per test run.
public enum TestCertificate {
    private static let made: Result<(cert: String, key: String), SinkError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return .failure(SinkError(message: "cannot run openssl")) }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return .failure(SinkError(message: "openssl req failed")) }
        return .success((cert, key))
    }()

    public static func files() throws -> (cert: String, key: String) { try made.get() }
}
