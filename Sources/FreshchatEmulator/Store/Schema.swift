/// The store's schema as an append-only list of migrations, applied by `PRAGMA user_version`.
/// Never edit a migration once it has shipped; add a new one. Migrations never refer to Swift model types.
///
/// Tables are singular and columns carry the docs' attribute names. Resources that only the seed or the
/// control plane create keep their documented object in `doc` (JSON, in the docs' attribute order) next to
/// the columns that are filtered, sorted or referenced.
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
        """
    ]
}
