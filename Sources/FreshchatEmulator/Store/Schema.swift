import SQLite

/// The store's schema as an append-only list of migrations, applied by `PRAGMA user_version`.
/// Never edit a migration once it has shipped; add a new one. Migrations never refer to Swift model types.
///
/// Tables are singular and columns carry the docs' attribute names. Resources that only the seed or the
/// control plane create keep their documented object in `doc` (JSON, in the docs' attribute order) next to
/// the columns that are filtered, sorted or referenced. `message.doc` and `agent.doc` hold exactly the object as the API
/// answers it (compact `Message.json` / `Agent.json`): the list pages write them into the response as they are
/// (`Database.appendMessageDocs`, `Database.appendAgentDocs`), so every write keeps them so.
enum Schema {
    static let migrations: [String] = [
        // 1: account configuration and the resources the public API cannot create (seed data).
        """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            app_id TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE role (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE "group" (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE channel (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            locale TEXT,
            enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
            updated_time INTEGER,
            position INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE agent (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            first_name TEXT,
            last_name TEXT,
            created_time INTEGER NOT NULL,
            is_deactivated INTEGER NOT NULL CHECK (is_deactivated IN (0, 1)),
            availability_status TEXT NOT NULL CHECK (availability_status IN ('AVAILABLE', 'UNAVAILABLE')),
            role_id TEXT REFERENCES role(id),
            doc TEXT NOT NULL
        );
        CREATE TABLE agent_group (
            agent_id TEXT NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
            group_id TEXT NOT NULL REFERENCES "group"(id) ON DELETE CASCADE,
            PRIMARY KEY (agent_id, group_id)
        );
        CREATE INDEX agent_group_by_group ON agent_group(group_id);
        CREATE TABLE agent_status (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE TABLE conversation_property (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            position INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE whatsapp_template (
            template_name TEXT NOT NULL,
            namespace TEXT NOT NULL,
            language_code TEXT NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY (namespace, template_name, language_code)
        );
        CREATE TABLE whatsapp_business_number (
            phone_number TEXT PRIMARY KEY
        );
        CREATE TABLE business_hours (
            group_id TEXT PRIMARY KEY REFERENCES "group"(id) ON DELETE CASCADE,
            doc TEXT NOT NULL
        );
        """,
        // 2: users, conversations, messages, the event log and the 202 job queue.
        """
        CREATE TABLE user (
            id TEXT PRIMARY KEY,
            created_time INTEGER NOT NULL,
            updated_time INTEGER NOT NULL,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            phone TEXT,
            reference_id TEXT,
            org_contact_id TEXT,
            restore_id TEXT,
            login_status INTEGER NOT NULL DEFAULT 0 CHECK (login_status IN (0, 1)),
            avatar_url TEXT,
            properties TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX user_by_email ON user(email);
        CREATE INDEX user_by_first_name ON user(first_name);
        CREATE INDEX user_by_last_name ON user(last_name);
        CREATE INDEX user_by_reference_id ON user(reference_id);
        CREATE INDEX user_by_phone ON user(phone);
        CREATE INDEX user_by_created_time ON user(created_time);
        CREATE INDEX user_by_updated_time ON user(updated_time);
        CREATE TABLE conversation (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channel(id),
            app_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'resolved', 'reopened')),
            assigned_agent_id TEXT REFERENCES agent(id) ON DELETE SET NULL,
            assigned_group_id TEXT REFERENCES "group"(id) ON DELETE SET NULL,
            skill_id INTEGER NOT NULL DEFAULT 0,
            properties TEXT NOT NULL DEFAULT '{}',
            interaction_id TEXT NOT NULL,
            created_time INTEGER NOT NULL,
            updated_time INTEGER NOT NULL
        );
        CREATE INDEX conversation_by_updated_time ON conversation(updated_time);
        CREATE TABLE conversation_user (
            conversation_id TEXT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (conversation_id, user_id)
        );
        CREATE INDEX conversation_user_by_user ON conversation_user(user_id);
        CREATE TABLE message (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            conversation_id TEXT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
            created_time INTEGER NOT NULL,
            actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'agent', 'bot', 'system')),
            actor_id TEXT,
            message_type TEXT NOT NULL CHECK (message_type IN ('normal', 'private', 'system')),
            interaction_id TEXT NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX message_by_conversation ON message(conversation_id, created_time, seq);
        CREATE INDEX message_by_actor ON message(actor_id);
        CREATE TABLE event (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            type TEXT NOT NULL,
            conversation_id TEXT,
            interaction_id TEXT,
            actor_type TEXT,
            actor_id TEXT,
            user_id TEXT,
            agent_id TEXT,
            group_id TEXT,
            channel_id TEXT,
            message_id TEXT,
            data TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX event_by_time ON event(time, seq);
        CREATE INDEX event_by_conversation ON event(conversation_id, seq);
        CREATE TABLE job (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            due_time INTEGER NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
            error TEXT,
            created_time INTEGER NOT NULL,
            finished_time INTEGER
        );
        CREATE INDEX job_by_due_time ON job(status, due_time, seq);
        """,
        // 3: CSAT ratings (docs L2667–2753), one per interaction of a conversation. The rating's author is kept for
        // the reports; erasing that user (GDPR) erases their comment and the link to them.
        """
        CREATE TABLE csat (
            csat_response_id INTEGER PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
            interaction_id TEXT NOT NULL,
            created INTEGER NOT NULL,
            issue_resolved INTEGER NOT NULL CHECK (issue_resolved IN (0, 1)),
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            additional_feedback TEXT,
            csat_attributer_id INTEGER,
            agent_id TEXT,
            user_id TEXT,
            app_id INTEGER NOT NULL,
            reopen_conversation INTEGER NOT NULL CHECK (reopen_conversation IN (0, 1)),
            CHECK (rating IS NOT NULL OR issue_resolved = 0),
            CHECK (reopen_conversation = 0 OR issue_resolved = 0),
            UNIQUE (conversation_id, interaction_id)
        );
        CREATE INDEX csat_by_created ON csat(created);
        CREATE INDEX csat_by_user ON csat(user_id);
        CREATE TRIGGER csat_forget_user AFTER DELETE ON user BEGIN
            UPDATE csat SET additional_feedback = NULL, user_id = NULL WHERE user_id = OLD.id;
        END;
        """,
        // 4: outbound WhatsApp messages (docs L2923–3373), one row per recipient, and the last failure of each
        // template name for the 30-minute rule (docs L3268). `created_on` is epoch ms (the API shows seconds);
        // `data` is the message template object as answered.
        """
        CREATE TABLE outbound_message (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL UNIQUE,
            request_id TEXT NOT NULL,
            from_phone_number TEXT NOT NULL,
            provider TEXT NOT NULL CHECK (provider = 'whatsapp'),
            to_phone_number TEXT NOT NULL,
            data TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('Accepted', 'Sent', 'Delivered', 'Failed')),
            created_on INTEGER NOT NULL,
            failure_code TEXT,
            failure_reason TEXT,
            CHECK ((status = 'Failed') = (failure_code IS NOT NULL AND failure_reason IS NOT NULL))
        );
        CREATE INDEX outbound_message_by_request ON outbound_message(request_id, status, seq);
        CREATE INDEX outbound_message_by_created_on ON outbound_message(created_on, seq);
        CREATE TABLE whatsapp_template_failure (
            template_name TEXT PRIMARY KEY,
            failed_on INTEGER NOT NULL
        );
        """,
        // 5: uploaded images (docs L2755–2823): the bytes and what the upload answered. `token` is the secret path
        // segment of the image's URLs; `filename` is the name the client sent, if any.
        """
        CREATE TABLE image (
            id TEXT PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
            width INTEGER NOT NULL CHECK (width > 0),
            height INTEGER NOT NULL CHECK (height > 0),
            filename TEXT,
            size INTEGER NOT NULL CHECK (size > 0),
            created_time INTEGER NOT NULL,
            data BLOB NOT NULL CHECK (typeof(data) = 'blob' AND length(data) = size)
        );
        """,
        // 6: raw reports (docs L3375–3862): a requested report, generated by a job that records the EventLog position
        // it covers (`event_seq`), and the one-hour links handed out for its sub-reports; `token` is the secret path
        // segment of a link's URL. The CSVs are computed from the EventLog when fetched, never stored.
        """
        CREATE TABLE report (
            id TEXT PRIMARY KEY,
            event TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL CHECK ("end" > start),
            format TEXT NOT NULL CHECK (format = 'csv'),
            status TEXT NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
            created_time INTEGER NOT NULL,
            completed_time INTEGER,
            event_seq INTEGER,
            CHECK ((status = 'PENDING') = (completed_time IS NULL))
        );
        CREATE TABLE report_link (
            token TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            from_date INTEGER NOT NULL,
            to_date INTEGER NOT NULL CHECK (to_date > from_date),
            issued_time INTEGER NOT NULL,
            expires_time INTEGER NOT NULL CHECK (expires_time > issued_time)
        );
        CREATE INDEX report_link_by_report ON report_link(report_id, from_date, expires_time);
        """,
        // 7: webhooks (issue "Webhooks"): subscriptions, the RSA signing key (PEM), the outbox (one row per webhook,
        // written in the transaction of the change, `body` the exact bytes sent and signed; `actor_pending` until
        // the user message that caused it settles its actor) and one delivery per webhook and URL with its attempts.
        // Erasing a user (GDPR) erases every webhook that names them, with its deliveries.
        """
        CREATE TABLE webhook_subscription (
            url TEXT PRIMARY KEY,
            events TEXT NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE TABLE webhook_key (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            private_key TEXT NOT NULL
        );
        CREATE TABLE webhook_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            action TEXT NOT NULL CHECK (action IN ('message_create', 'conversation_assignment',
                'conversation_resolution', 'conversation_reopen')),
            conversation_id TEXT NOT NULL,
            action_time INTEGER NOT NULL,
            actor_pending INTEGER NOT NULL DEFAULT 0 CHECK (actor_pending IN (0, 1)),
            body TEXT NOT NULL
        );
        CREATE INDEX webhook_event_pending ON webhook_event(conversation_id) WHERE actor_pending = 1;
        CREATE TABLE webhook_delivery (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES webhook_event(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            action TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            due_time INTEGER NOT NULL,
            created_time INTEGER NOT NULL,
            last_attempt_time INTEGER,
            last_status_code INTEGER,
            last_error TEXT,
            delivered_time INTEGER
        );
        CREATE INDEX webhook_delivery_due ON webhook_delivery(status, due_time, id);
        CREATE INDEX webhook_delivery_order ON webhook_delivery(url, conversation_id, status, id);
        CREATE TRIGGER webhook_forget_user AFTER DELETE ON user BEGIN
            DELETE FROM webhook_event WHERE instr(body, OLD.id) > 0;
        END;
        """,
        // 8: indexes for the filters and sorts the API allows and for the foreign-key actions, so no list query and no
        // cascade reads a whole table (issue "Performance across the API and at scale"; QueryPlanTests checks the plan
        // of every statement the store prepares).
        // - agents (docs L1816–2366: sort_by first_name, last_name, created_time; filters availability_status,
        //   is_deactivated; email already has its UNIQUE index);
        // - a conversation's assigned agent (the conversations of an agent, and `ON DELETE SET NULL` when an agent is
        //   deleted) and group (`ON DELETE SET NULL` when a group is deleted);
        // - the agents' status changes in the EventLog (what a raw report reads besides its day's conversations), as a
        //   partial index: it costs nothing on the other entries (an index on every entry's type would cost a write per
        //   message and serve nothing: the metrics read nearly every kind);
        // - a webhook's deliveries (`ON DELETE CASCADE` when a webhook is forgotten).
        """
        CREATE INDEX agent_by_first_name ON agent(first_name);
        CREATE INDEX agent_by_last_name ON agent(last_name);
        CREATE INDEX agent_by_created_time ON agent(created_time);
        CREATE INDEX agent_by_availability_status ON agent(availability_status);
        CREATE INDEX agent_by_is_deactivated ON agent(is_deactivated);
        CREATE INDEX conversation_by_assigned_agent ON conversation(assigned_agent_id, created_time);
        CREATE INDEX conversation_by_assigned_group ON conversation(assigned_group_id);
        CREATE INDEX event_agent_status_changes ON event(seq) WHERE type = 'agent_status_changed';
        CREATE INDEX webhook_delivery_by_event ON webhook_delivery(event_id);
        """,
        // 9: the user filters that name one value (docs L296–304: email, reference_id, phone_no) list their users in
        // the default order (created_time) straight from the index: without it every `GET /v2/users?email=` sorted
        // its rows in a temporary b-tree (issue "Performance across the API and at scale").
        """
        DROP INDEX user_by_email;
        CREATE INDEX user_by_email ON user(email, created_time);
        DROP INDEX user_by_phone;
        CREATE INDEX user_by_phone ON user(phone, created_time);
        DROP INDEX user_by_reference_id;
        CREATE INDEX user_by_reference_id ON user(reference_id, created_time);
        """,
    ]
}

extension Database {
    /// Rewrites each `CHECK (column IN (a, b, c, …))` of three values or more in the stored table definitions as
    /// `CHECK (column = a OR column = b OR …)`, which accepts and rejects exactly the same values. SQLite evaluates an
    /// `IN` list of three or more by building a temporary index of the list each time the constraint is checked — a
    /// page allocated and zeroed per constraint per row written: about a tenth of the instructions of
    /// `POST /v2/conversations/{id}/messages` (`bench/instructions`). Stores created from the migrations above get
    /// them rewritten once, when opened.
    ///
    /// The definitions are edited in `sqlite_schema` as <https://www.sqlite.org/lang_altertable.html#otheralter>
    /// describes for changes that leave the stored content as it is (such as changing a CHECK constraint): in one
    /// transaction, with `writable_schema` on, the schema version incremented (every connection then reads the
    /// schema again) and each rewritten table's inserts compiled before the commit.
    /// - Throws: `SQLiteError`, the transaction rolled back, when a rewritten definition does not parse.
    func expandCheckLists() throws {
        let tables = try query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (%'")
        var rewritten: [(name: String, sql: String)] = []
        for table in tables {
            let sql = try table.string("sql")
            let expanded = Self.expandingCheckLists(sql)
            if expanded != sql { rewritten.append((try table.string("name"), expanded)) }
        }
        guard !rewritten.isEmpty else { return }
        try write { db in
            let version = try db.scalarInt("PRAGMA schema_version") ?? 0
            try db.execute("PRAGMA writable_schema = ON")
            for table in rewritten {
                try db.execute(
                    "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
                    [.text(table.sql), .text(table.name)])
            }
            try db.execute("PRAGMA schema_version = \(version + 1)")
            try db.execute("PRAGMA writable_schema = OFF")
            // The new schema version makes the next statement read the schema again: a definition that does not parse
            // fails it (SQLITE_CORRUPT, "malformed database schema") and the transaction rolls back. (Not
            // `PRAGMA integrity_check`, the docs' optional last step: it reads every page, 20 s on a 900 MB store.)
            for table in rewritten {
                try db.executeScript("EXPLAIN INSERT INTO \"\(table.name)\" DEFAULT VALUES")
            }
        }
    }

    /// `sql` with every `CHECK (column IN (v1, v2, v3, …))` of three values or more spelled as an `OR` of equalities.
    static func expandingCheckLists(_ sql: String) -> String {
        var out = ""
        var rest = Substring(sql)
        while let start = rest.firstRange(of: "CHECK (") {
            out += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            // `column IN (` then the values up to the first `)`, then the CHECK's own `)`.
            guard let inRange = rest.firstRange(of: " IN ("),
                let close = rest[inRange.upperBound...].firstIndex(of: ")"),
                rest[rest.index(after: close)...].first == ")"
            else { continue }
            let column = rest[..<inRange.lowerBound]
            guard !column.isEmpty, column.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            let values = rest[inRange.upperBound..<close].split(separator: ",").map {
                String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            }
            guard values.count >= 3, values.allSatisfy({ !$0.isEmpty && !$0.contains("(") }) else { continue }
            out += values.map { "\(column) = \($0)" }.joined(separator: " OR ")
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
