/// The column names of a result set, shared by every ``Row`` of one query.
///
/// Name lookup is case-insensitive like SQL identifiers; when several columns share a name, the first wins.
final class RowColumns: Sendable {
    /// Column names in result order.
    let names: [String]
    /// Lower-cased name to first column index.
    private let indexByName: [String: Int]
    /// Name as spelled in the result to first column index: most lookups spell it the same way.
    private let indexByExactName: [String: Int]

    /// Creates the shared column table for a result set.
    init(names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        var indexByExactName: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = name.lowercased()
            if indexByName[key] == nil {
                indexByName[key] = index
            }
            if indexByExactName[name] == nil {
                indexByExactName[name] = index
            }
        }
        self.indexByName = indexByName
        self.indexByExactName = indexByExactName
    }

    /// The index of the column called `name`, or nil when the result has no such column.
    func index(of name: String) -> Int? {
        // The exact spelling wins only when it is also the first case-insensitive match.
        if let index = indexByExactName[name], indexByName.count == names.count { return index }
        return indexByName[name.lowercased()]
    }
}
