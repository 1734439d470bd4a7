/// One raw report's CSV: its columns, spelled and ordered as the docs list them, and its rows for a sub-report.
protocol RawReportWriter {
    /// The columns, in the docs' order.
    static var columns: [String] { get }

    /// The rows of the sub-report `[from, to)`, in time order.
    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]]

    /// Whether the rows need the whole EventLog. By default they need only the conversations with an entry in the
    /// sub-report and the agents' status changes (`Database.reportEvents(upTo:from:to:wholeLog:)`).
    static var readsWholeLog: Bool { get }
}

extension RawReportWriter {
    static var readsWholeLog: Bool { false }
}

/// A raw report with one row per message sent in the sub-report (`ReportData.messagesSent`), in time order.
protocol MessageRowWriter: RawReportWriter {
    /// The row of one message.
    static func row(_ record: EventDerivations.MessageRecord, _ data: ReportData) -> [String]

    /// Whether the rows print the messages' parts (`ReportData.Directory.messageParts`, read only for those).
    static var printsMessageParts: Bool { get }
}

extension MessageRowWriter {
    static var printsMessageParts: Bool { false }

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        data.messagesSent(from: from, to: to).map { row($0, data) }
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
}
