/// The Conversation-Resolution-Label raw report (docs L3496–3518): "the details of all resolution labels attached to
/// a conversation when the conversation is resolved" (L3409). The emulator's API attaches no resolution labels, so
/// the report is its header alone.
enum ConversationResolutionLabelReport: RawReportWriter {
    /// docs L3497–3517, in that order; L3515's `abel_sub_category_name` is read as `label_sub_category_name`, and
    /// L3518's "Note" is a remark, not a column.
    static let columns = [
        "channel_name", "reopened", "agent_name", "agent_id", "actor_type", "label_sub_category_id", "group_name",
        "user_name", "actor_name", "label_category_name", "created_at", "interaction_id", "interaction_raw_id",
        "group_id", "actor_belongs_to_group", "conversation_id", "label_category_id", "actor_id",
        "label_sub_category_name", "channel_id", "labelled_by_type",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] { [] }
}
