import SQLite

/// One sub-report's CSV as it is sent: made a piece at a time and handed to `emit` (a streamed response that waits
/// for each piece to go out), so a day of 50 000 events is never held whole — neither the CSV nor, for the
/// per-message reports (`MessageRowWriter`), the messages (issue "Performance across the API and at scale": "streams
/// the CSV without holding it all in memory").
///
/// The per-message reports read the EventLog twice. First every entry of the sub-report's conversations goes through
/// `EventDerivations` one at a time, keeping of each message in the range only the agent and group it was sent under.
/// Then the range's messages are read again in time order, a page at a time with the names and texts the page needs,
/// and written row by row. Both read the log as it stood when the report was generated (entries up to its `seq`),
/// so the rows are those `RawReportWriter.rows` makes from the whole log at once.
struct ReportExtract {
    let store: Store
    let event: Report.Event
    /// The last EventLog entry the report counts.
    let eventSeq: Int64
    let from: Int64
    let to: Int64
    /// When the report was generated.
    let generatedAt: Int64
    /// Messages read per page.
    var pageSize = 1_000
    /// Bytes of CSV per piece handed to `emit`.
    var pieceSize = 64 * 1024

    /// Writes the CSV — header, then the rows — in pieces of about `pieceSize` bytes to `emit`, which answers false
    /// when nobody takes more (the client is gone): then it stops.
    func write(to emit: ([UInt8]) -> Bool) throws {
        try withoutActuallyEscaping(emit) { emit in
            var csv = CSV.Writer(header: event.writer.columns)
            var open = true
            // The header goes at once, then a piece whenever enough rows are written.
            let send = { if csv.bytes.count >= pieceSize { open = emit(csv.take()) } }
            let append = { (row: [String]) in
                guard open else { return }
                csv.append(row)
                send()
            }
            send()
            if let writer = event.writer as? any MessageRowWriter.Type {
                try writeMessages(writer, append) { open }
            } else {
                let data = try store.read { db in
                    let log = try db.reportEvents(
                        upTo: eventSeq, from: from, to: to, wholeLog: event.writer.readsWholeLog)
                    return ReportData(
                        events: log.events, seqs: log.seqs,
                        directory: try db.reportDirectory(messages: false, events: log.events),
                        generatedAt: generatedAt)
                }
                // These reports have a row per interaction, agent or rating, not per message: a few thousand a day.
                for row in event.writer.rows(from: from, to: to, data) { append(row) }
            }
            if open && !csv.bytes.isEmpty { _ = emit(csv.take()) }
        }
    }

    /// The agent and group each message of the range was sent under, by `seq` (added in log order, so sorted).
    private final class Assignments {
        var seqs: [Int64] = []
        var agentIDs: [String?] = []
        var groupIDs: [String?] = []

        /// The position of `seq`, if a message of the range has it.
        func position(of seq: Int64) -> Int? {
            var (low, high) = (0, seqs.count)
            while low < high {
                let middle = (low + high) / 2
                if seqs[middle] < seq { low = middle + 1 } else { high = middle }
            }
            return low < seqs.count && seqs[low] == seq ? low : nil
        }
    }

    private func writeMessages(
        _ writer: any MessageRowWriter.Type, _ append: ([String]) -> Void, _ isOpen: () -> Bool
    ) throws {
        let (from, to) = (self.from, self.to)
        let assignments = Assignments()
        let (derived, base) = try store.read { db in
            var derived = EventDerivations { record, seq in
                guard let seq, ReportData.within(record.event.time, from, to) else { return }
                assignments.seqs.append(seq)
                assignments.agentIDs.append(record.agentID)
                assignments.groupIDs.append(record.groupID)
            }
            try db.forEachReportEvent(upTo: eventSeq, from: from, to: to, wholeLog: writer.readsWholeLog) {
                derived.add($0, seq: $1)
            }
            derived.finish()
            return (derived, try db.reportDirectory())
        }
        var data = ReportData(derived: derived, directory: base, generatedAt: generatedAt)
        var after: (time: Int64, seq: Int64)?
        while isOpen() {
            let (page, directory) = try store.read { db in
                let page = try db.reportMessages(upTo: eventSeq, from: from, to: to, after: after, limit: pageSize)
                var directory = base
                try db.addReportNames(of: page.map(\.event), messages: writer.printsMessageParts, to: &directory)
                return (page, directory)
            }
            data.directory = directory
            for (message, seq) in page {
                // A message of a conversation the log has no creation of is in no report (EventDerivations).
                guard let position = assignments.position(of: seq) else { continue }
                let record = EventDerivations.MessageRecord(
                    event: message, agentID: assignments.agentIDs[position], groupID: assignments.groupIDs[position])
                append(writer.row(record, data))
            }
            guard page.count == pageSize, let last = page.last else { break }
            after = (last.event.time, last.seq)
        }
    }
}
