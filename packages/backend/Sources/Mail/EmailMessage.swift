// One e-mail to send: recipient, subject and the two renderings of its body.

public struct EmailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    /// The HTML body.
    public var html: String
    /// The plain-text alternative of the same content.
    public var text: String

    public init(to: String, subject: String, html: String, text: String) {
        self.to = to
        self.subject = subject
        self.html = html
        self.text = text
    }

    /// The http(s) links in the text body, in order, without repeats.
    public var links: [String] {
        var seen: Set<String> = []
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map(String.init)
            .filter { ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && seen.insert($0).inserted }
    }
}
