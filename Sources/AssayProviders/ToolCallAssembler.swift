import AssayCore

/// Joins function-call fragments into whole calls, by `index`.
///
/// A streamed call's first fragment carries its id and name, later ones pieces of its
/// arguments, to be joined in order; several calls stream side by side under their own
/// indexes. A whole response's `message.tool_calls` is the same with every call in one
/// fragment (and often no index: its place in the list is its index). A fragment without an
/// index continues the last call, unless it brings an id of its own. Names go back from the
/// wire's (`math_factorial`) to the declared ones (`math.factorial`).
struct ToolCallAssembler {
    private struct Pending {
        var id: String?
        var name = ""
        var arguments = ""
    }

    private var calls: [Int: Pending] = [:]
    private var order: [Int] = []
    private var last: Int?
    /// Characters of names and arguments taken in, for the answer's size cap.
    private(set) var bytes = 0

    var isEmpty: Bool { calls.isEmpty }
    var count: Int { calls.count }

    /// More calls than any answer makes: an endpoint that sends more is hostile (each new
    /// index costs memory, and the grader's matching is quadratic in the calls).
    static let maxCalls = 256

    /// Takes the fragments of one chunk (or the calls of one message: `whole`).
    mutating func take(_ fragments: [ChatWireFormat.ToolCallFragment], whole: Bool) {
        for (position, fragment) in fragments.enumerated() {
            let index: Int
            if let given = fragment.index {
                index = given
            } else if whole {
                index = position
            } else if let last, fragment.id == nil || fragment.id == calls[last]?.id {
                index = last
            } else {
                index = (order.max() ?? -1) + 1
            }
            var call = calls[index] ?? Pending()
            if calls[index] == nil { order.append(index) }
            if let id = fragment.id, !id.isEmpty, call.id == nil { call.id = id }
            if let name = fragment.name, !name.isEmpty {
                // The name comes once; a repeat is ignored, and pieces (some vendors) are joined.
                if call.name.isEmpty { call.name = name } else if call.name != name { call.name += name }
                bytes += name.utf8.count
            }
            if let piece = fragment.arguments {
                call.arguments += piece
                bytes += piece.utf8.count
            }
            calls[index] = call
            last = index
        }
    }

    /// The calls in the order of their indexes, names mapped back to the declared ones.
    func finish(names: ToolNames) -> [ToolCall] {
        order.sorted().compactMap { index in
            guard let call = calls[index] else { return nil }
            return ToolCall(id: call.id, name: names.declaredName(call.name), argumentsText: call.arguments)
        }
    }
}
