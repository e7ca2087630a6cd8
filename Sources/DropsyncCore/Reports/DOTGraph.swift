/// A dataflow as Graphviz DOT: steps as boxes, `next` edges solid, `error` edges dashed red.
public enum DOTGraph {
    public static func render(_ dataflow: Dataflow) -> String {
        var lines = ["digraph \(quote(dataflow.name)) {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for step in dataflow.steps {
            lines.append("  \(quote(step.id)) [label=\(quote("\(step.id)\n\(step.type)"))];")
        }
        for step in dataflow.steps {
            for target in step.next { lines.append("  \(quote(step.id)) -> \(quote(target));") }
            for target in step.error {
                lines.append("  \(quote(step.id)) -> \(quote(target)) [style=dashed, color=red, label=\"error\"];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
