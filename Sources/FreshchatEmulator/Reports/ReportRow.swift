/// One CSV row being filled in by column name; a writer sets the cells it has a value for, the rest stay empty.
struct ReportRow {
    private let columns: [String: Int]
    private(set) var cells: [String]

    /// An empty row of `columns`.
    init(_ columns: [String]) {
        var positions: [String: Int] = [:]
        for (position, column) in columns.enumerated() { positions[column] = position }
        self.columns = positions
        cells = Array(repeating: "", count: columns.count)
    }

    /// The cell of `column`; setting a column the report does not have is a programming error.
    subscript(column: String) -> String {
        get { columns[column].map { cells[$0] } ?? "" }
        set {
            guard let position = columns[column] else { preconditionFailure("no column \(column)") }
            cells[position] = newValue
        }
    }
}
