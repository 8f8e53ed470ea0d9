/// Folding traditional Chinese characters to simplified ones, one for one.
enum ChineseVariants {
    static let simplified: [Unicode.Scalar: Unicode.Scalar] = {
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        var scalars = pairs.unicodeScalars.filter { $0 != "\n" }.makeIterator()
        while let traditional = scalars.next(), let simple = scalars.next() {
            map[traditional] = simple
        }
        return map
    }()

    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        simplified[scalar] ?? scalar
    }
}
