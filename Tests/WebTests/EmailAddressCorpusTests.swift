// EmailAddress.normalize against what the reference's Pydantic and email-validator 2.4.0 answered
// for the corpus in Resources/email-validator-cases.json (written by
// scripts/email-validator-cases.py): the normalized address, or the exact reason, for every input.

import EmailValidation
import Foundation
import Testing

@testable import Web

@Suite struct EmailAddressCorpusTests {
    struct Case: Decodable {
        let input: String
        let normalized: String?
        let error: String?
    }

    @Test func everyCaseAnswersAsEmailValidatorDoes() throws {
        let url = try #require(
            Bundle.module.url(forResource: "Resources/email-validator-cases", withExtension: "json"))
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        #expect(cases.count > 3000)
        var mismatches: [String] = []
        for item in cases {
            let expected = item.normalized.map { "valid: \($0)" } ?? "error: \(item.error ?? "")"
            let got =
                switch EmailAddress.normalize(item.input) {
                case .success(let normalized): "valid: \(normalized)"
                case .failure(let failure): "error: \(failure.reason)"
                }
            if got != expected {
                mismatches.append("input \(item.input.debugDescription)\n  expected \(expected)\n  got      \(got)")
            }
        }
        if !mismatches.isEmpty {
            Issue.record(
                "\(mismatches.count) of \(cases.count) differ; the first ones:\n\(mismatches.prefix(8).joined(separator: "\n"))"
            )
        }
    }
}
