// Email addresses as Pydantic's EmailStr checks them with email-validator (no deliverability
// check): `Display Name <addr>` keeps only the address, the domain is lower-cased, the local
// part keeps its case, and failures carry email-validator's messages.

enum EmailAddress {
    struct Failure: Error, Equatable {
        let reason: String
    }

    static let maximumLength = 2048
    private static let specialUseDomains: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test"]
    private static let atext = Set("!#$%&'*+-/=?^_`{|}~")

    /// The normalised address, or email-validator's reason for rejecting it.
    static func normalize(_ input: String) -> Result<String, Failure> {
        guard input.count <= maximumLength else {
            return .failure(Failure(reason: "Length must not exceed \(maximumLength) characters"))
        }
        let address = stripDisplayName(input).trimmingWhitespace
        guard let at = address.lastIndex(of: "@") else {
            return .failure(Failure(reason: "An email address must have an @-sign."))
        }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        if local.isEmpty { return .failure(Failure(reason: "There must be something before the @-sign.")) }
        if domain.isEmpty { return .failure(Failure(reason: "There must be something after the @-sign.")) }
        if let reason = localPartProblem(local) ?? domainProblem(domain) { return .failure(Failure(reason: reason)) }
        return .success(local + "@" + domain.lowercased())
    }

    /// `Name <addr>` or `"Name" <addr>` -> `addr`; anything else unchanged.
    private static func stripDisplayName(_ input: String) -> String {
        let trimmed = input.trimmingWhitespace
        guard trimmed.last == ">", let open = trimmed.lastIndex(of: "<") else { return input }
        let name = trimmed[..<open].trimmingWhitespace
        let nameIsValid =
            name.isEmpty || (name.count >= 2 && name.first == "\"" && name.last == "\"")
            || name.allSatisfy { $0.isLetter || $0.isNumber || $0.isWhitespace || atext.contains($0) }
        guard nameIsValid else { return input }
        return String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
    }

    private static func localPartProblem(_ local: Substring) -> String? {
        let length = local.unicodeScalars.count
        if length > 64 {
            return
                "The email address is too long before the @-sign (\(length - 64) character\(length == 65 ? "" : "s") too many)."
        }
        let invalid = Set(local.filter { !($0.isLetter || $0.isNumber || atext.contains($0) || $0 == ".") })
        if !invalid.isEmpty {
            let shown = invalid.map { "'\($0)'" }.sorted().joined(separator: ", ")
            return "The email address contains invalid characters before the @-sign: \(shown)."
        }
        if local.hasPrefix(".") { return "An email address cannot start with a period." }
        if local.hasSuffix(".") { return "An email address cannot have a period immediately before the @-sign." }
        if local.contains("..") { return "An email address cannot have two periods in a row." }
        return nil
    }

    private static func domainProblem(_ domain: Substring) -> String? {
        let invalid = Set(domain.filter { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        if !invalid.isEmpty {
            let shown = invalid.map { "'\($0)'" }.sorted().joined(separator: ", ")
            return "The part after the @-sign contains invalid characters: \(shown)."
        }
        if domain.hasPrefix(".") { return "An email address cannot have a period immediately after the @-sign." }
        if domain.hasSuffix(".") { return "An email address cannot end with a period." }
        if domain.contains("..") { return "An email address cannot have two periods in a row." }
        let labels = domain.split(separator: ".")
        if labels.contains(where: { $0.hasPrefix("-") || $0.hasSuffix("-") }) {
            return "An email address cannot have a hyphen immediately before or after a period."
        }
        guard labels.count >= 2 else { return "The part after the @-sign is not valid. It should have a period." }
        let lowered = domain.lowercased()
        if specialUseDomains.contains(where: { lowered == $0 || lowered.hasSuffix("." + $0) }) {
            return "The part after the @-sign is a special-use or reserved name that cannot be used with email."
        }
        if let top = labels.last, !(top.first?.isLetter ?? false) {
            return "The part after the @-sign is not valid. It is not within a valid top-level domain."
        }
        return nil
    }
}
