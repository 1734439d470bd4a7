import HTTP
import Testing

@testable import FreshchatEmulator

/// The docs' message examples (docs L995–1258, "Example 1" … "Example 5") and the other part forms the docs show:
/// accepted, and the created message's parts equal the parts sent.
@Suite struct MessagePartExamplesTests {
    /// One example message of the docs, as its `"messages": [ … ]` array.
    struct DocsExample: Sendable, CustomTestStringConvertible {
        var line: Int
        var json: String
        var testDescription: String { "docs L\(line)" }
        var message: JSONValue { ((try? JSONParser.parse(json))?.arrayValue?.first) ?? .null }
    }

    static let docsExamples: [DocsExample] = [
        // docs L995 "Example 1 - Message with an image, text, and url_button": JSON at L1022.
        DocsExample(
            line: 1022,
            json: """
                [ { "message_parts": [ { "text": { "content": "Click for more details!!" } }, { "image": { "url": \
                "https://fc-xx-00.s3.xxws.com/f51/f_marketingpicFull/u_be5bb9xxxd/img_a7dxx3.png" } }, { \
                "url_button": { "url": "https://www.freshworks.com/live-chat-software/", "label": "Freshchat", \
                "target": "_self" } }], "channel_id": "b0247bdb-2796-4489-bd0a-09c22b5440dc", "actor_type": "agent", \
                "actor_id": "1de5d130-1c62-48cf-8349-1b39c60d0c28" } ]
                """),
        // docs L1027 "Example 2 - Message with a reply part that contains a url_button": JSON at L1057.
        DocsExample(
            line: 1057,
            json: """
                [ { "message_parts": [ { "text": { "content": "For further information, check out Freshchat API \
                documentation." } }], "reply_parts": [ { "collection": { "sub_parts": [ { "url_button": { "url": \
                "https://developers.freshchat.com/api/", "label": "Click for API documentation", "target": "_blank" \
                } } ] } } ], "channel_id": "b0247bdb-2796-4489-bd0a-09c22b5440dc", "actor_type": "agent", \
                "actor_id": "1de5d130-1c62-48cf-8349-1b39c60d0c28" } ]
                """),
        // docs L1062 "Example 3 - Message with a reply part that contains a collection of quick reply buttons": JSO…".
        DocsExample(
            line: 1090,
            json: """
                [ { "message_parts": [{ "text": { "content": "Click proceed for samples" } }], "reply_parts": [{ \
                "collection": { "sub_parts": [{ "quick_reply_button": { "label": "Proceed" } }, { \
                "quick_reply_button": { "label": "Decline" } }] } }], "channel_id": \
                "b0247bdb-2796-4489-bd0a-09c22b5440dc", "actor_type": "agent", "actor_id": \
                "1de5d130-1c62-48cf-8349-1b39c60d0c28" } ]
                """),
        // docs L1095 "Example 4 - Template message with carousel cards": JSON at L1206.
        DocsExample(
            line: 1206,
            json: """
                [ { "message_parts": [{ "text": { "content": "Choose one of the product" } }], "reply_parts": [{ \
                "template_content": { "type": "carousel", "sections": [{ "name": "carousel_title", "parts": [ { \
                "text": { "content": "Choose one of the products" } } ]}, { "name": "cards", "parts": [{ \
                "template_content": { "type": "carousel_card_default", "sections": [{ "name": "hero_image", "parts": \
                [{ "image": { "url": "https://test-s3-local.s3.amazonaws.com/fd.jpg" } }] }, { "name": "title", \
                "parts": [{ "text": { "content": "Freshdesk" } }] }, { "name": "callback", "parts": [{ "callback": { \
                "payload": "Freshdesk selected", "label": "Select" } }] }] } }, { "template_content": { "type": \
                "carousel_card_default", "sections": [{ "name": "hero_image", "parts": [{ "image": { "url": \
                "https://test-s3-local.s3.amazonaws.com/Fc.jpg" } }] }, { "name": "title", "parts": [{ "text": { \
                "content": "Freshchat" } }] }, { "name": "description", "parts": [{ "text": { "content": "Freshchat \
                is a cloud based messaging solution that allows you to effectively interact with your business \
                users." } }] }, { "name": "callback", "parts": [{ "callback": { "payload": "Freshchat selected", \
                "label": "Select" } }] }, { "name": "view", "parts": [{ "url_button": { "url": \
                "https://developers.freshchat.com/api/#introduction", "label": "View documentation", "target": \
                "_self" } }] }] } }] } ] } } ], "channel_id": "b0247bdb-2796-4489-bd0a-09c22b5440dc", "actor_type": \
                "agent", "actor_id": "1de5d130-1c62-48cf-8349-1b39c60d0c28" } ]
                """),
        // docs L1212 "Example 5 - Template message with a drop-down list": JSON at L1253.
        DocsExample(
            line: 1253,
            json: """
                [ { "message_parts": [{ "text": { "content": "How many employees do you have?" } }], "reply_parts": \
                [{ "template_content": { "type": "quick_reply_dropdown", "sections": [{ "name": "options", "parts": \
                [{ "quick_reply_button": { "label": "0-50", "custom_reply_text": "Zero to Fifty", "payload": "Zero \
                to Fifty payload" } }, { "quick_reply_button": { "label": "50-100", "custom_reply_text": "Fifty to \
                hundred", "payload": "Fifty to hundred" } }, { "quick_reply_button": { "label": "500+" } }] }] } }], \
                "channel_id": "b0247bdb-2796-4489-bd0a-09c22b5440dc", "actor_type": "agent", "actor_id": \
                "1de5d130-1c62-48cf-8349-1b39c60d0c28" } ]
                """),
    ]

    static func makeEmulator() throws -> (TestEmulator, String) {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        return (emulator, try emulator.startConversation())
    }

    // docs L1698: "A successful request returns 200 OK along with the created message object." — the parts of the
    // created message are the parts sent.
    @Test(arguments: docsExamples)
    func docsExample_IsAccepted_AndRoundTrips(_ example: DocsExample) throws {
        let (emulator, id) = try Self.makeEmulator()
        let sent = example.message
        #expect(sent != .null)
        let response = emulator.sendMessage(id, sent)
        #expect(response.code == 200, "\(response.text)")
        #expect(response.json["message_parts"] == sent["message_parts"])
        #expect(response.json["reply_parts"] == sent["reply_parts"])
        #expect(response.json["actor_id"] == sent["actor_id"])
        // The message's topic is the conversation's, not the example's b0247bdb….
        #expect(response.json["channel_id"] == .string(Seeded.channel))
        let listed = emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue?.first
        #expect(listed == response.json)
    }

    // docs L1348: messages are "array of message objects": the examples are accepted in a create body too.
    @Test(arguments: docsExamples)
    func docsExample_IsAccepted_InACreatedConversation(_ example: DocsExample) throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        let response = emulator.send(
            .post, "/v2/conversations",
            json: Seeded.createBody([("messages", [Seeded.userMessage(), example.message])]))
        #expect(response.code == 202, "\(response.text)")
        #expect(response.json["messages"]?.arrayValue?.last?["reply_parts"] == example.message["reply_parts"])
    }

    // docs L952–994: bots may send attachment_input, reference, text_input and help_text; the docs' own listing
    // (L1644) shows help_text inside a reply_parts collection. They are kept as sent.
    @Test func botOnlyParts_AreAccepted_FromABot() throws {
        let (emulator, id) = try Self.makeEmulator()
        let replyParts: JSONValue = [
            MessagePartTests.collection(
                ["quick_reply_button": ["label": "Value 1"]],
                [
                    "help_text": [
                        "v1_help_text_fragment": [
                            "fragment_type": 8, "content_type": "text/html", "content": "Type 1",
                        ],
                        "content": "Type 1",
                    ]
                ]),
            ["text_input": ["inputType": "EMAIL", "validations": [["type": "REGEX_VALIDATION"]]]],
        ]
        let response = emulator.sendMessage(
            id, ["message_parts": MessagePartTests.text, "reply_parts": replyParts, "actor_type": "bot"])
        #expect(response.code == 200, "\(response.text)")
        #expect(response.json["reply_parts"] == replyParts)
    }

    // docs L1644: a file part as the listing shows it, and L897–900 video, are valid message parts.
    @Test func fileAndVideoParts_AreAccepted() throws {
        let (emulator, id) = try Self.makeEmulator()
        let parts: JSONValue = [
            ["text": ["content": "Message sent along with a file attachment."]],
            [
                "file": [
                    "name": "Availability.xlsx", "url": "https://fc.s3.aws.com/f51/f_files/file_Availability.xlsx",
                    "file_size_in_bytes": 15147, "content_type": "application/vnd.ms-excel",
                ]
            ],
            ["video": ["url": "https://example.com/v.mp4", "content_type": "video/mp4"]],
            MessagePartTests.collection(MessagePartTests.link),
        ]
        let response = emulator.sendMessage(
            id, ["message_parts": parts, "actor_type": "agent", "actor_id": .string(Seeded.marcus)])
        #expect(response.code == 200, "\(response.text)")
        #expect(response.json["message_parts"] == parts)
    }
}
