import GRDB

/// The schema as named, append-only migrations: never edit a registered migration, add a new one.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dataflow TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    status TEXT NOT NULL,
                    startedAt INTEGER NOT NULL,
                    endedAt INTEGER,
                    processed INTEGER NOT NULL DEFAULT 0,
                    errors INTEGER NOT NULL DEFAULT 0,
                    failure TEXT);
                CREATE INDEX jobs_dataflow ON jobs(dataflow, id);
                CREATE TABLE job_steps (
                    job INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    stepId TEXT NOT NULL,
                    type TEXT NOT NULL,
                    durationMs INTEGER NOT NULL,
                    input INTEGER NOT NULL,
                    output INTEGER NOT NULL,
                    errors INTEGER NOT NULL,
                    bytesIn INTEGER NOT NULL,
                    bytesOut INTEGER NOT NULL,
                    PRIMARY KEY (job, position));
                CREATE TABLE job_errors (
                    job INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    step TEXT NOT NULL,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    record TEXT);
                CREATE INDEX job_errors_job ON job_errors(job);
                CREATE TABLE job_trace (
                    job INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    level TEXT NOT NULL,
                    step TEXT,
                    message TEXT NOT NULL);
                CREATE INDEX job_trace_job ON job_trace(job);
                CREATE TABLE job_files (
                    job INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    location TEXT NOT NULL,
                    size INTEGER,
                    modified REAL,
                    PRIMARY KEY (job, position));
                CREATE TABLE dataflow_state (
                    dataflow TEXT PRIMARY KEY,
                    lastRuntime INTEGER,
                    lastJob INTEGER,
                    nextRun INTEGER);
                """)
        }
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE ledger (
                    location TEXT NOT NULL,
                    path TEXT NOT NULL,
                    size INTEGER,
                    mtime REAL,
                    contentHash TEXT,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    job INTEGER,
                    firstSeen INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL,
                    lastError TEXT,
                    readyReason TEXT,
                    PRIMARY KEY (location, path));
                CREATE INDEX ledger_status ON ledger(status, updatedAt);
                """)
        }
        migrator.registerMigration("v1-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE accounts (
                    UID TEXT PRIMARY KEY NOT NULL,
                    doc TEXT NOT NULL,
                    created TEXT NOT NULL,
                    createdTimestamp INTEGER NOT NULL,
                    lastUpdated TEXT NOT NULL,
                    lastUpdatedTimestamp INTEGER NOT NULL);
                CREATE INDEX accounts_lastUpdatedTimestamp ON accounts(lastUpdatedTimestamp);
                """)
        }
        migrator.registerMigration("v2-ledger-daemon") { db in
            try db.execute(sql: """
                ALTER TABLE ledger ADD COLUMN dataflow TEXT;
                ALTER TABLE ledger ADD COLUMN movedTo TEXT;
                CREATE INDEX ledger_dataflow ON ledger(dataflow, status);
                UPDATE ledger SET status = 'seen' WHERE status = 'discovered';
                """)
        }
        migrator.registerMigration("v3-ledger-content-hash") { db in
            try db.execute(sql: "CREATE INDEX ledger_content ON ledger(contentHash) WHERE contentHash IS NOT NULL")
        }
        migrator.registerMigration("v4-ledger-version-tag") { db in
            try db.execute(sql: "ALTER TABLE ledger ADD COLUMN versionTag TEXT")
        }
        migrator.registerMigration("v5-ledger-post-action-problem") { db in
            try db.execute(sql: "ALTER TABLE ledger ADD COLUMN postActionProblem TEXT")
        }
        return migrator
    }()
}
