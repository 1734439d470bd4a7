/// One raw report's CSV: its columns, spelled and ordered as the docs list them, and its rows for a sub-report.
protocol RawReportWriter {
    /// The columns, in the docs' order.
    static var columns: [String] { get }

    /// The rows of the sub-report `[from, to)`, in time order.
    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]]

    /// Calls `body` with each row of `rows(from:to:_:)`, in order; a writer with many rows overrides it to make them one
    /// at a time.
    static func forEachRow(from: Int64, to: Int64, _ data: ReportData, _ body: ([String]) -> Void)

    /// Whether the rows need the whole EventLog. By default they need only the conversations with an entry in the
    /// sub-report and the agents' status changes (`Database.reportEvents(upTo:from:to:wholeLog:)`).
    static var readsWholeLog: Bool { get }
}

extension RawReportWriter {
    static var readsWholeLog: Bool { false }

    static func forEachRow(from: Int64, to: Int64, _ data: ReportData, _ body: ([String]) -> Void) {
        for row in rows(from: from, to: to, data) { body(row) }
    }
}

/// A raw report with one row per message sent in the sub-report (`ReportData.messagesSent`), in time order.
protocol MessageRowWriter: RawReportWriter {
    /// The row of one message.
    static func row(_ record: EventDerivations.MessageRecord, _ data: ReportData) -> [String]
}

extension MessageRowWriter {
    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        data.messagesSent(from: from, to: to).map { row($0, data) }
    }

    /// One row at a time (a day can hold tens of thousands of messages): no array of every row.
    static func forEachRow(from: Int64, to: Int64, _ data: ReportData, _ body: ([String]) -> Void) {
        for record in data.messagesSent(from: from, to: to) { body(row(record, data)) }
    }
}

extension Report.Event {
    /// The writer of this event's CSV.
    var writer: any RawReportWriter.Type {
        switch self {
        case .chatTranscript: return ChatTranscriptReport.self
        case .conversationCreated: return ConversationCreatedReport.self
        case .messageSent: return MessageSentReport.self
        case .conversationResolved: return ConversationResolvedReport.self
        case .conversationResolutionLabel: return ConversationResolutionLabelReport.self
        case .csatScore: return CSATScoreReport.self
        case .firstResponseTime: return FirstResponseTimeReport.self
        case .responseTime: return ResponseTimeReport.self
        case .resolutionTime: return ResolutionTimeReport.self
        case .conversationAgentAssigned: return ConversationAgentAssignedReport.self
        case .conversationGroupAssigned: return ConversationGroupAssignedReport.self
        case .agentActivity: return AgentActivityReport.self
        case .agentIntelliassignActivity: return AgentIntelliassignActivityReport.self
        case .conversationActivity: return ConversationActivityReport.self
        case .classic: return ClassicReport.self
        case .agentPerformance: return AgentPerformanceReport.self
        }
    }

    /// The CSV of sub-report `[from, to)`: the header, then the rows.
    func csv(from: Int64, to: Int64, _ data: ReportData) -> String {
        CSV.document(header: writer.columns, rows: writer.rows(from: from, to: to, data))
    }

    /// The CSV of sub-report `[from, to)` as UTF-8, written record by record into one buffer as the writer makes
    /// them (`forEachRow`).
    func csvBytes(from: Int64, to: Int64, _ data: ReportData) -> [UInt8] {
        var writer = CSV.Writer(header: self.writer.columns)
        self.writer.forEachRow(from: from, to: to, data) { writer.append($0) }
        return writer.bytes
    }
}
