import Testing

@testable import FreshchatEmulator

/// The message and interaction reports of the raw reports (docs L3427–3476, L3666–3746), against the scripted day
/// (`ReportsDay`).
@Suite struct ReportsMessageTests {
    // docs L3407: Message-Sent "lists the details of all messages sent within a time frame"; L3468 group_name "the
    // group from which an agent responds … or is expected to respond".
    @Test func messageSent_ListsEveryMessage_WithTheGroupItWasSentIn() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Message-Sent")
        #expect(rows.first == MessageSentReport.columns)
        let body = rows.dropFirst().map { csvCells($0, MessageSentReport.columns) }
        let bob = ReportsDay.bobFirstName + " " + ReportsDay.bobLastName
        let (priya, sofia, ada) = (ReportsDay.priyaName, ReportsDay.sofiaName, ReportsDay.adaName)
        #expect(
            body.map { [$0["created_at"], $0["actor_type"], $0["actor_name"], $0["group_name"], $0["reopened"]] } == [
                [ReportTime.iso("10:00:00"), "USER", ada, "Billing", "false"],
                [ReportTime.iso("10:00:01"), "USER", bob, "Support", "false"],
                [ReportTime.iso("10:05:00"), "AGENT", priya, "Billing", "false"],
                [ReportTime.iso("10:10:00"), "AGENT", sofia, "Support", "false"],
                [ReportTime.iso("10:12:00"), "USER", ada, "Billing", "false"],
                [ReportTime.iso("10:20:00"), "AGENT", sofia, "Support", "false"],
                [ReportTime.iso("11:00:00"), "USER", ada, "Support", "true"],
                [ReportTime.iso("11:10:00"), "AGENT", priya, "Support", "true"],
            ])
        let reopening = body[6]
        #expect(reopening["interaction_id"] == day.i1b)
        #expect(reopening["interaction_raw_id"] == ReportsDay.raw(day.c1, "11:00:00"))
        #expect(reopening["conversation_id"] == day.c1)
        #expect(reopening["actor_id"] == day.ada)
        #expect(reopening["actor_sub_type"] == "")
        #expect(reopening["group_id"] == Seeded.support)
        #expect(reopening["channel_id"] == ReportsDay.channel)
        #expect(reopening["channel_name"] == "Support")
    }

    // docs L3405: Chat-Transcript lists "conversations and the corresponding messages"; L3435: "message_parts field is
    // an array of JSON objects"; L3440–3443 the sender's email, phone and names.
    @Test func chatTranscript_ListsEveryMessage_WithItsPartsAndSender() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Chat-Transcript")
        #expect(rows.first == ChatTranscriptReport.columns)
        #expect(rows.count == 9)
        let first = csvCells(rows[1], ChatTranscriptReport.columns)
        expectCSVRows(
            [ChatTranscriptReport.columns, rows[1]], header: ChatTranscriptReport.columns,
            [
                [
                    "conversation_id": day.c1, "conversation_url": ReportsDay.url(day.c1), "customer_id": day.ada,
                    "detailed_message_type": "1", "interaction_raw_id": ReportsDay.raw(day.c1, "10:00:00"),
                    "message_id": first["message_id"] ?? "", "message_type": "normal",
                    "message_parts": #"[{"text":{"content":"I need a refund, please."}}]"#,
                    "created_time": ReportTime.iso("10:00:00"), "actor_id": day.ada, "actor_type": "USER",
                    "actor_email": "ada@example.com", "actor_phone": "+44 20 7946 0000", "actor_first_name": "Ada",
                    "actor_last_name": "Lovelace", "message_source": "api", "channel_id": ReportsDay.channel,
                    "channel_name": "Support",
                ]
            ])
        #expect(first["message_id"]?.isEmpty == false)
        let bob = csvCells(rows[2], ChatTranscriptReport.columns)
        #expect(bob["message_parts"] == #"[{"text":{"content":"Hello,\n\"urgent\" question"}}]"#)
        #expect(bob["actor_first_name"] == ReportsDay.bobFirstName)
        #expect(bob["actor_last_name"] == ReportsDay.bobLastName)
        let priya = csvCells(rows[3], ChatTranscriptReport.columns)
        #expect(priya["actor_type"] == "AGENT")
        #expect(priya["actor_email"] == "priya.raman@example.com")
        #expect(priya["actor_phone"] == "")
        #expect(priya["actor_first_name"] == "Priya")
        #expect(priya["customer_id"] == day.ada)
    }

    // RFC 4180 §2.6–2.7: "Fields containing line breaks (CRLF), double quotes, and commas should be enclosed in
    // double-quotes" and "a double-quote appearing inside a field must be escaped by preceding it with another
    // double quote" — Bob's names and message, byte for byte.
    @Test func chatTranscript_QuotesCommasQuotesAndLineBreaks_AsRFC4180Says() throws {
        let day = try ReportsDay()
        let text =
            try day.emulator.reportTexts(
                "Chat-Transcript", start: ReportTime.iso("10:00:01"), end: ReportTime.iso("10:00:02")
            ).first ?? ""
        let crlf: Character = "\r\n"
        let lines = text.split(separator: crlf, omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 3, "header, Bob's message, and the empty text after the last CRLF")
        #expect(lines.first == ChatTranscriptReport.columns.joined(separator: ","))
        #expect(lines.last == "")
        let record = lines.count > 1 ? lines[1] : ""
        #expect(record.contains(#","[{""text"":{""content"":""Hello,\n\""urgent\"" question""}}]","#))
        #expect(record.contains(#","Bob ""The Builder""","Smith, Jr.",api,"#))
        #expect(record.hasPrefix(day.c2 + "," + ReportsDay.url(day.c2) + "," + day.bob + ",1,"))
    }

    // docs L3420: Classic "lists the details of an interaction"; L3721 reassigns; L3735 response_count; L3668
    // avg_response_time_secs; L3675–3683 the CSAT rating; L3741–3745 the user.
    @Test func classic_DescribesEachInteraction() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Classic")
        #expect(rows.first == ClassicReport.columns)
        #expect(rows.first?.count == 77)
        let body = rows.dropFirst().map { csvCells($0, ClassicReport.columns) }
        #expect(body.map { $0["interaction_id"] } == [day.i1a, day.i2, day.i1b])
        let expected: [String: String] = [
            "agent_reopen": "false", "avg_response_time_secs": "390", "channel": "Support",
            "conversation_alias": day.c1, "created_timestamp": ReportTime.iso("10:00:00"),
            "created_timestamp_millis": String(ReportTime.at("10:00:00")), "csat_agent": ReportsDay.sofiaName,
            "csat_agent_id": "sofia.lindqvist@example.com", "csat_group": "Support", "csat_issue_resolved": "true",
            "csat_rating": "4", "csat_response": ReportsDay.feedback, "csat_timestamp": ReportTime.iso("10:31:00"),
            "first_assigned_group": "Billing", "first_group_assigned_by": "api",
            "first_assigned_timestamp": ReportTime.iso("10:00:00"), "first_assigned_by": "SYSTEM",
            "first_assigned_to": ReportsDay.priyaName, "first_response_timestamp": ReportTime.iso("10:05:00"),
            "first_response_time_secs": "300", "first_response_time_formatted": "00:05:00",
            "first_responded_by": ReportsDay.priyaName, "first_response_assigned_agent": "priya.raman@example.com",
            "first_response_group": "Billing", "is_offline_conversation": "false",
            "last_response_timestamp": ReportTime.iso("10:20:00"), "last_responded_by": ReportsDay.sofiaName,
            "last_response_assigned_group": "Support", "label_timestamp": "", "reassigns": "1",
            "resolution_timestamp": ReportTime.iso("10:30:00"), "resolution_time_secs": "1800",
            "resolution_time_formatted": "00:30:00", "resolved_by": ReportsDay.sofiaName,
            "resolved_by_id": Seeded.sofia,
            "resolution_assigned_agent": "sofia.lindqvist@example.com", "resolution_assigned_group": "Support",
            "resolution_label": "", "reopened": "false", "response_count": "2", "time_to_first_assign_secs": "0",
            "time_to_first_response_from_create_secs": "300", "time_to_resolve_from_create_formatted": "00:30:00",
            "user_id": day.ada, "user_name": ReportsDay.adaName, "user_email": "ada@example.com",
            "user_phone": "+44 20 7946 0000", "user_identifier": "CRM-7", "user_source": "",
        ]
        for (column, value) in expected { #expect(body.first?[column] == value, "I1a \(column)") }
        let reopened = body.last ?? [:]
        #expect(reopened["reopened"] == "true")
        #expect(reopened["agent_reopen"] == "false", "reopened by the user's message")
        #expect(reopened["first_assigned_group"] == "Support", "kept through the reopening")
        #expect(reopened["first_group_assigned_timestamp"] == ReportTime.iso("11:00:00"))
        #expect(reopened["time_to_first_assign_secs"] == "300")
        #expect(reopened["first_response_time_secs"] == "600")
        #expect(reopened["reassigns"] == "0")
        #expect(reopened["time_to_resolve_from_create_secs"] == "1200")
        #expect(reopened["csat_rating"] == "2")
        #expect(reopened["csat_response"] == "")
    }
}
