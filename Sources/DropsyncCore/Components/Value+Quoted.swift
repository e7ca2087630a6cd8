extension Value {
    /// The value as written in JSON, shortened to a line, for messages that quote what the
    /// configuration said. Never use it on a secret.
    var quoted: String {
        let text = JSONWriter.string(self)
        return text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }
}
