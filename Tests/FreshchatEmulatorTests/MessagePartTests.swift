import HTTP
import Testing

@testable import FreshchatEmulator

/// The rules of the message part object (docs L877–994): every misuse is a 400 naming the part by its path
/// (`message_parts[1].foo`).
@Suite struct MessagePartTests {
    static func makeEmulator() throws -> (TestEmulator, String) {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        return (emulator, try emulator.startConversation())
    }

    /// One invalid message: its parts and what the 400 must name.
    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var messageParts: JSONValue
        var replyParts: JSONValue?
        var actorType = "agent"
        var mentioning: String
        var testDescription: String { name }
    }

    static let text: JSONValue = [["text": ["content": "Pick one"]]]
    static func collection(_ parts: JSONValue...) -> JSONValue { ["collection": ["sub_parts": .array(parts)]] }
    static func template(_ type: String, _ sections: [(String, JSONValue)]) -> JSONValue {
        [
            "template_content": [
                "type": .string(type), "sections": .array(sections.map { ["name": .string($0), "parts": $1] }),
            ]
        ]
    }
    static let button: JSONValue = ["quick_reply_button": ["label": "Yes"]]
    static let link: JSONValue = ["url_button": ["url": "https://example.com"]]

    static let invalid: [Invalid] = [
        // docs L877–993: the part types of the table; anything else is unknown.
        Invalid(
            name: "unknown type", messageParts: [["text": ["content": "x"]], ["foo": [:]]],
            mentioning: "message_parts[1].foo is not a message part type"),
        Invalid(
            name: "empty part", messageParts: [[:]], mentioning: "message_parts[0] must hold one message part type"),
        Invalid(
            name: "two types in one part", messageParts: [["text": ["content": "x"], "image": ["url": "u"]]],
            mentioning: "message_parts[0] must hold exactly one message part type"),
        Invalid(
            name: "part not an object", messageParts: ["hello"], mentioning: "message_parts[0] must be a message part"),
        Invalid(
            name: "text not an object", messageParts: [["text": "hello"]],
            mentioning: "message_parts[0].text must be an object"),
        // docs L893: "content (string) MANDATORY"
        Invalid(
            name: "text without content", messageParts: [["text": [:]]],
            mentioning: "message_parts[0].text.content is mandatory"),
        Invalid(
            name: "text content empty", messageParts: [["text": ["content": ""]]],
            mentioning: "message_parts[0].text.content must not be empty"),
        Invalid(
            name: "text content a number", messageParts: [["text": ["content": 5]]],
            mentioning: "message_parts[0].text.content must be a string"),
        // docs L896: image "url (string) MANDATORY"
        Invalid(
            name: "image without url", messageParts: [["image": [:]]],
            mentioning: "message_parts[0].image.url is mandatory"),
        // docs L913: url_button "url (string) MANDATORY"; L915–918: target _self or _blank
        Invalid(
            name: "url_button without url", messageParts: [["url_button": ["label": "x"]]],
            mentioning: "message_parts[0].url_button.url is mandatory"),
        Invalid(
            name: "url_button target unknown", messageParts: [["url_button": ["url": "u", "target": "_top"]]],
            mentioning: "message_parts[0].url_button.target must be _self or _blank"),
        // docs L929: quick_reply_button "label (string) MANDATORY"
        Invalid(
            name: "quick_reply_button without label", messageParts: text,
            replyParts: [collection(["quick_reply_button": ["payload": "p"]])],
            mentioning: "reply_parts[0].collection.sub_parts[0].quick_reply_button.label is mandatory"),
        Invalid(
            name: "quick_reply_button type unknown", messageParts: text,
            replyParts: [collection(["quick_reply_button": ["label": "x", "type": "SEND_OTP"]])],
            mentioning: "quick_reply_button.type must be RESEND_OTP"),
        // docs L922: quick_reply_button "MUST BE USED AS PART OF REPLY_PARTS.COLLECTIONS"
        Invalid(
            name: "quick_reply_button in message_parts", messageParts: [button],
            mentioning: "message_parts[0].quick_reply_button is not allowed in message_parts"),
        Invalid(
            name: "quick_reply_button in a message_parts collection", messageParts: [collection(button)],
            mentioning: "message_parts[0].collection.sub_parts[0].quick_reply_button is not allowed"),
        Invalid(
            name: "quick_reply_button directly in reply_parts", messageParts: text, replyParts: [button],
            mentioning: "reply_parts[0].quick_reply_button is not allowed in reply_parts"),
        // docs L907–909: in reply_parts a url_button belongs in a collection
        Invalid(
            name: "url_button directly in reply_parts", messageParts: text, replyParts: [link],
            mentioning: "reply_parts[0].url_button is not allowed"),
        // docs L891: text "IN REQUESTS, VALID ONLY FOR MESSAGE_PARTS"
        Invalid(
            name: "text in reply_parts", messageParts: text, replyParts: text,
            mentioning: "reply_parts[0].text is not allowed in reply_parts"),
        Invalid(
            name: "image in a reply collection", messageParts: text, replyParts: [collection(["image": ["url": "u"]])],
            mentioning: "reply_parts[0].collection.sub_parts[0].image is not allowed"),
        // docs L906: collection "sub_parts (array of message part objects)"
        Invalid(
            name: "collection without sub_parts", messageParts: [["collection": [:]]],
            mentioning: "message_parts[0].collection.sub_parts is mandatory"),
        Invalid(
            name: "collection empty", messageParts: [collection()],
            mentioning: "message_parts[0].collection.sub_parts must hold at least one part"),
        Invalid(
            name: "collection in a collection", messageParts: text, replyParts: [collection(collection(button))],
            mentioning: "reply_parts[0].collection.sub_parts[0].collection is not allowed"),
        // docs L934: template_content "Valid only for reply_part"
        Invalid(
            name: "template_content in message_parts",
            messageParts: [template("quick_reply_dropdown", [("options", [button])])],
            mentioning: "message_parts[0].template_content is not allowed in message_parts"),
        // docs L939–943: type carousel, carousel_card_default, quick_reply_dropdown
        Invalid(
            name: "template type unknown", messageParts: text, replyParts: [template("list", [("options", [button])])],
            mentioning:
                "reply_parts[0].template_content.type must be one of carousel, carousel_card_default, quick_reply_dropdown"
        ),
        Invalid(
            name: "template without sections", messageParts: text,
            replyParts: [["template_content": ["type": "carousel"]]],
            mentioning: "reply_parts[0].template_content.sections is mandatory"),
        // docs L946–947: sections "name (string) MANDATORY", "parts (array of objects) MANDATORY"
        Invalid(
            name: "section without name", messageParts: text,
            replyParts: [["template_content": ["type": "quick_reply_dropdown", "sections": [["parts": [button]]]]]],
            mentioning: "reply_parts[0].template_content.sections[0].name is mandatory"),
        Invalid(
            name: "section without parts", messageParts: text,
            replyParts: [["template_content": ["type": "quick_reply_dropdown", "sections": [["name": "options"]]]]],
            mentioning: "reply_parts[0].template_content.sections[0].parts is mandatory"),
        Invalid(
            name: "section name unknown", messageParts: text,
            replyParts: [template("quick_reply_dropdown", [("choices", [button])])],
            mentioning: "reply_parts[0].template_content.sections[0].name must be one of options"),
        Invalid(
            name: "wrong part in a section", messageParts: text,
            replyParts: [template("carousel_card_default", [("title", [["image": ["url": "u"]]])])],
            mentioning: "reply_parts[0].template_content.sections[0].parts[0].image is not allowed in the title section"
        ),
        Invalid(
            name: "carousel card of the wrong type", messageParts: text,
            replyParts: [template("carousel", [("cards", [template("carousel", [("cards", [])])])])],
            mentioning: "sections[0].parts[0].template_content.type must be carousel_card_default"),
        // docs L948: callback belongs to a carousel card
        Invalid(
            name: "callback in message_parts", messageParts: [["callback": ["payload": "p"]]],
            mentioning: "message_parts[0].callback is not allowed in message_parts"),
        // docs L953: bot-only response enablers are "not supported for use in agent-messages"
        Invalid(
            name: "help_text from an agent", messageParts: text,
            replyParts: [collection(button, ["help_text": ["content": "Type 1"]])],
            mentioning: "reply_parts[0].collection.sub_parts[1].help_text is not allowed"),
        Invalid(
            name: "text_input from an agent", messageParts: text, replyParts: [["text_input": ["inputType": "EMAIL"]]],
            mentioning: "reply_parts[0].text_input is not allowed"),
        // docs L884: fileSource "Possible values: FRESHCHAT, FRESHBOTS"
        Invalid(
            name: "file source unknown", messageParts: [["file": ["name": "a.txt", "fileSource": "DROPBOX"]]],
            mentioning: "message_parts[0].file.fileSource must be FRESHCHAT or FRESHBOTS"),
        Invalid(
            name: "file size not an integer", messageParts: [["file": ["file_size_in_bytes": "big"]]],
            mentioning: "message_parts[0].file.file_size_in_bytes must be an integer"),
    ]

    // docs L877–994: the attribute table of the message part object, rule by rule (each case cites its line).
    @Test(arguments: invalid)
    func message_IsRejected(_ invalid: Invalid) throws {
        let (emulator, id) = try Self.makeEmulator()
        var body: JSONObject = [
            "message_parts": invalid.messageParts, "actor_type": .string(invalid.actorType),
            "actor_id": .string(Seeded.marcus),
        ]
        if let replyParts = invalid.replyParts { body["reply_parts"] = replyParts }
        expectError(emulator.sendMessage(id, .object(body)), 400, "BAD_REQUEST", mentioning: invalid.mentioning)
    }

}
