import SQLite

/// The rows a transaction changed, as SQLite's update hook reports them, until the transaction commits (then they
/// become change-feed events) or rolls back (then they are forgotten).
///
/// `@unchecked Sendable`: touched only on the store's database queue (the hooks run inside its statements, and
/// `Store.write` reads it there).
final class PendingChanges: @unchecked Sendable {
    /// What the next commit publishes.
    enum Mode {
        /// The changed rows, one event each.
        case rows
        /// One `reset`: the state was replaced wholesale.
        case reset
        /// Nothing (loading the seed into a store nobody watches yet).
        case quiet
    }

    /// The tables whose rows become events.
    static let tables: Set<String> = ["conversation", "message", "user", "webhook_delivery"]
    /// More changed rows than this in one transaction publish one `reset` instead (a fixture or state load).
    static let bulkLimit = 1000

    /// An event's data, handed over by the writer (`Store.prepareEvent`).
    struct Prepared {
        let data: String
        let conversationID: String?
    }

    private(set) var changes: [RowChange] = []
    private var seen = Set<String>()
    /// The data of rows the transaction has finished writing, keyed like `seen`.
    private var prepared: [String: Prepared] = [:]
    var mode = Mode.rows

    func record(_ change: RowChange) {
        guard mode == .rows, Self.tables.contains(change.table) else { return }
        let key = "\(change.table)#\(change.rowID)"
        // Data handed over before this change no longer describes the row: it is read back after the commit.
        if !prepared.isEmpty { prepared[key] = nil }
        guard change.kind != .delete else { return }
        // One event per row and transaction: the first change says whether it was created.
        guard seen.insert(key).inserted else { return }
        changes.append(change)
        if changes.count > Self.bulkLimit {
            mode = .reset
            clearRows()
        }
    }

    /// Keeps `data` as the event data of row `rowID` of `table`, which this transaction has changed and will not
    /// change again; ignored for a row the transaction has not recorded.
    func prepare(table: String, rowID: Int64, _ data: Prepared) {
        let key = "\(table)#\(rowID)"
        guard mode == .rows, seen.contains(key) else { return }
        prepared[key] = data
    }

    /// Takes what the transaction recorded and gets ready for the next one.
    func take() -> (mode: Mode, changes: [RowChange], prepared: [String: Prepared]) {
        defer { clear() }
        return (mode, changes, prepared)
    }

    func clear() {
        clearRows()
        mode = .rows
    }

    private func clearRows() {
        changes = []
        seen = []
        prepared = [:]
    }
}

extension Store {
    /// Installs the update and rollback hooks that collect a transaction's changes. Called once, with the store's
    /// lock held.
    static func observe(_ db: Database, into pending: PendingChanges) {
        db.observeChanges(
            ChangeObserver(onChange: { pending.record($0) }, onRollback: { pending.clear() }))
    }

    /// Publishes what the transaction that just committed changed, in the order it first changed each row. Runs on the
    /// database queue right after COMMIT, so events follow commit order. A row gone again by now is skipped.
    func publishCommitted(_ db: Database) {
        let publication = takePublication(db)
        if !publication.isEmpty { feed.publish(publication) }
    }

    /// The events of what the transaction (or savepoint) that just ended changed, in the order it first changed each
    /// row, read now (inside a round's shared transaction, before the next write changes the rows again); the
    /// pending changes are cleared for the next one. A row gone again by now is skipped.
    func takePublication(_ db: Database) -> [ChangeFeed.Draft] {
        let (mode, changes, prepared) = pending.take()
        switch mode {
        case .quiet: return []
        case .reset: return [.reset]
        case .rows: break
        }
        var drafts: [ChangeFeed.Draft] = []
        for change in changes {
            // A row that cannot be read back is not worth failing the request that already committed.
            if let draft = try? Self.draft(for: change, prepared: prepared, db) { drafts.append(draft) }
        }
        return drafts
    }

    /// Publishes one `reset`, in order with the commits (on the database queue). The caller has committed the round's
    /// writes first (`settleGroup`, as `restore` does), so their events go out before it.
    func publishReset() {
        queue.inDatabase { _ in feed.publish([.reset]) }
    }

    /// Inside a `write`, once the transaction has made its last change to row `rowID` of `table` (a conversation,
    /// message or user): that row's event data, exactly as `publishCommitted` would read it back after the commit,
    /// so the commit publishes it without reading the row again (about 15 % of a `POST …/messages`, issue #12). A
    /// later change to the row in the same transaction discards it, and the row is read back as before.
    func prepareEvent(table: String, rowID: Int64, data: String, conversationID: String? = nil) {
        pending.prepare(table: table, rowID: rowID, .init(data: data, conversationID: conversationID))
    }

    private static func draft(
        for change: RowChange, prepared: [String: PendingChanges.Prepared], _ db: Database
    ) throws -> ChangeFeed.Draft? {
        let rowID: [SQLiteValue] = [.integer(change.rowID)]
        let verb = change.kind == .insert ? "created" : "updated"
        if !prepared.isEmpty, let known = prepared["\(change.table)#\(change.rowID)"] {
            switch change.table {
            case "conversation", "user":
                return .init(name: "\(change.table).\(verb)", data: known.data, conversationID: known.conversationID)
            case "message" where change.kind == .insert:
                return .init(name: "message.created", data: known.data, conversationID: known.conversationID)
            default:
                break
            }
        }
        switch change.table {
        case "conversation":
            guard let id = try db.scalarString("SELECT id FROM conversation WHERE rowid = ?", rowID),
                let conversation = try db.conversation(id: id)
            else { return nil }
            // As GET /v2/conversations/{conversation_id} answers it.
            return .init(
                name: "conversation.\(verb)", data: conversation.json().serialized(), conversationID: conversation.id)
        case "message":
            guard change.kind == .insert,
                let row = try db.queryOne("SELECT conversation_id, doc FROM message WHERE seq = ?", rowID)
            else { return nil }
            // As GET /v2/conversations/{conversation_id}/messages lists it: the stored doc is that object (Schema).
            return .init(
                name: "message.created", data: try row.string("doc"), conversationID: try row.string("conversation_id"))
        case "user":
            guard let user = try db.queryOne("SELECT * FROM user WHERE rowid = ?", rowID).map(User.init(row:))
            else { return nil }
            return .init(name: "user.\(verb)", data: user.json.serialized())
        case "webhook_delivery":
            guard let delivery = try db.webhookDelivery(id: change.rowID) else { return nil }
            let data: JSONValue = [
                "id": .integer(delivery.id), "event": .string(delivery.action),
                "conversation_id": .string(delivery.conversationID), "status": .string(delivery.status.rawValue),
                "attempts": .integer(Int64(delivery.attempts)),
                "last_status_code": delivery.lastStatusCode.map { .integer(Int64($0)) } ?? .null,
            ]
            return .init(name: "delivery.updated", data: data.serialized(), conversationID: delivery.conversationID)
        default:
            return nil
        }
    }
}
