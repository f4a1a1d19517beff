/*
 * store_sqlite.c: the SQLite backend of the store.
 *
 * One database file in WAL mode with synchronous=FULL, so a commit is on
 * disk when it returns.  The schema is a table of numbered migrations:
 * PRAGMA user_version holds how many have run and PRAGMA application_id
 * marks the file as Sesame's.  A file that is not a SQLite database,
 * belongs to another program, carries a newer schema or fails PRAGMA
 * quick_check is refused, never rewritten: every check at open reads only
 * and runs before the first write.  The file is created mode 0600; SQLite
 * gives its -wal and -shm files the same mode.
 *
 * Connections live in a pool: a transaction takes one at begin and hands
 * it back at commit or rollback, so every thread inside a transaction has
 * a connection of its own, with its own prepared statements (prepared on
 * first use, kept for the connection's life).  A pool rather than
 * thread-local connections because the HTTP layer may run a thread per
 * client: thread-local connections would be opened for each short-lived
 * thread and closed by key destructors that race with store_close.
 *
 * Invariants: SQL text comes only from the static tables below and every
 * value is bound.  sqlite's own message is logged here, once; struct error
 * messages stay generic (no SQL, no paths).  A statement is reset before
 * its function returns.  A transaction that sqlite rolled back by itself
 * after an error refuses further statements rather than run them outside
 * any transaction.
 *
 * Writes are batched (group commit).  Write transactions of this process
 * take turns (the write turn, handed over at once, where SQLite's busy
 * handler would nap 1 to 100 ms), and each runs as a savepoint inside one
 * shared SQLite transaction, the batch.  A write that ends while others
 * wait for the turn leaves the batch open, hands the turn on and waits;
 * the write that ends with nobody waiting commits the batch, and one
 * fsync (synchronous=FULL) makes every write in it durable.  Each is
 * answered after that commit, with its outcome: nothing is acknowledged,
 * and nothing becomes visible to readers, before it is on disk; a failed
 * commit fails every write of the batch and leaves no trace of them.  A
 * write that rolls back undoes only its own savepoint.  A write sees the
 * uncommitted writes batched before it, which commit or fail with it.
 *
 * Read transactions are kept: a connection goes back to the pool with its
 * read transaction open, and the next read reuses it for as long as the
 * WAL-index header shows no commit since it began (sqlite_wal_index.c),
 * by this process or any other.  Before a checkpoint the idle
 * connections' kept transactions end, so the WAL can restart.
 *
 * Thread-safety: the pool is guarded by a mutex; a connection is used by
 * one thread at a time, the one whose transaction holds it (the batch's,
 * by the holder of the write turn).  The turn and the batch's members
 * are guarded by writer_lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/log.h"
#include "store/sqlite_wal_index.h"
#include "store/store.h"
#include "store/store_sqlite_internal.h"

#define STORE_SQLITE_APPLICATION_ID	0x5345534d	/* "SESM" */
#define STORE_SQLITE_BUSY_TIMEOUT_MS	10000
#define STORE_SQLITE_COMMIT_RETRIES	5
#define STORE_SQLITE_IDLE_MAX		16
#define STORE_SQLITE_PREREAD_BYTES	(1024 * 1024)
/* Problems the start-up check reports before it stops looking. */
#define STORE_SQLITE_CHECK_REPORTS	"10"
/* Writes in one batch at most: bounds the wait of its first member. */
#define STORE_SQLITE_BATCH_MAX		64
/* WAL pages after which a batch's committer checkpoints (SQLite's own
 * automatic checkpoint would, inside the commit: see batch_finish). */
#define STORE_SQLITE_CHECKPOINT_PAGES	1000

/*
 * Migration i (counting from 1) is store_sqlite_migrations[i - 1].  Append
 * only: a released migration is never edited.
 */
static const char *const store_sqlite_migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE meta ("
	"  key		TEXT PRIMARY KEY NOT NULL,"
	"  value	BLOB NOT NULL"
	");"
	"CREATE TABLE accounts ("
	"  account_id	TEXT PRIMARY KEY NOT NULL,"
	"  created_at	INTEGER NOT NULL"
	");"
	"CREATE TABLE access_keys ("
	"  access_key_id	TEXT PRIMARY KEY NOT NULL,"
	"  account_id	TEXT NOT NULL REFERENCES accounts (account_id),"
	"  principal_arn	TEXT NOT NULL,"
	"  user_name	TEXT NOT NULL,"
	"  user_id	TEXT NOT NULL,"
	"  wrapped_secret	BLOB NOT NULL,"
	"  is_active	INTEGER NOT NULL,"
	"  created_at	INTEGER NOT NULL"
	");"
	"CREATE INDEX access_keys_account ON access_keys (account_id);"
	"CREATE TABLE kms_keys ("
	"  key_id		TEXT PRIMARY KEY NOT NULL,"
	"  account_id	TEXT NOT NULL,"
	"  region		TEXT NOT NULL,"
	"  arn		TEXT NOT NULL UNIQUE,"
	"  description	TEXT,"
	"  key_manager	TEXT NOT NULL,"
	"  state		TEXT NOT NULL,"
	"  wrapped_material	BLOB NOT NULL,"
	"  created_at	INTEGER NOT NULL"
	");"
	"CREATE TABLE kms_aliases ("
	"  account_id	TEXT NOT NULL,"
	"  region		TEXT NOT NULL,"
	"  alias_name	TEXT NOT NULL,"
	"  key_id		TEXT NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  PRIMARY KEY (account_id, region, alias_name)"
	");"
	/* AUTOINCREMENT: ids are never reused, paging tokens carry them. */
	"CREATE TABLE secrets ("
	"  id		INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  account_id	TEXT NOT NULL,"
	"  region		TEXT NOT NULL,"
	"  name		TEXT NOT NULL,"
	"  arn		TEXT NOT NULL UNIQUE,"
	"  description	TEXT,"
	"  kms_key_id	TEXT,"
	"  created_at	INTEGER NOT NULL,"
	"  last_changed_at	INTEGER NOT NULL DEFAULT 0,"
	"  last_accessed_at	INTEGER NOT NULL DEFAULT 0,"
	"  deleted_at	INTEGER NOT NULL DEFAULT 0,"
	"  deletion_date	INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (account_id, region, name)"
	");"
	"CREATE INDEX secrets_page ON secrets (account_id, region, id);"
	"CREATE TABLE secret_versions ("
	"  secret_id	INTEGER NOT NULL"
	"      REFERENCES secrets (id) ON DELETE CASCADE,"
	"  version_id	TEXT NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  last_accessed_at	INTEGER NOT NULL DEFAULT 0,"
	"  is_binary	INTEGER NOT NULL,"
	"  kms_key_arn	TEXT,"
	"  ciphertext	BLOB NOT NULL,"
	"  wrapped_key	BLOB NOT NULL,"
	"  PRIMARY KEY (secret_id, version_id)"
	");"
	"CREATE INDEX secret_versions_age"
	"    ON secret_versions (secret_id, created_at);"
	"CREATE TABLE version_stages ("
	"  secret_id	INTEGER NOT NULL,"
	"  stage		TEXT NOT NULL,"
	"  version_id	TEXT NOT NULL,"
	"  PRIMARY KEY (secret_id, stage),"
	"  FOREIGN KEY (secret_id, version_id)"
	"      REFERENCES secret_versions (secret_id, version_id)"
	"      ON DELETE CASCADE"
	");"
	"CREATE INDEX version_stages_version"
	"    ON version_stages (secret_id, version_id, stage);"
	"CREATE TABLE secret_tags ("
	"  secret_id	INTEGER NOT NULL"
	"      REFERENCES secrets (id) ON DELETE CASCADE,"
	"  key		TEXT NOT NULL,"
	"  value		TEXT NOT NULL,"
	"  PRIMARY KEY (secret_id, key)"
	");",

	/* 2: replication to other regions */
	"ALTER TABLE secrets ADD COLUMN primary_arn TEXT;"
	"CREATE TABLE secret_replicas ("
	"  secret_id	INTEGER NOT NULL"
	"      REFERENCES secrets (id) ON DELETE CASCADE,"
	"  region		TEXT NOT NULL,"
	"  kms_key_id	TEXT,"
	"  status		TEXT NOT NULL,"
	"  status_message	TEXT,"
	"  created_at	INTEGER NOT NULL,"
	"  PRIMARY KEY (secret_id, region)"
	");",

	/* 3: KMS keys with versions, policies, deletion, rotation, tags */
	"ALTER TABLE kms_keys ADD COLUMN policy TEXT;"
	"ALTER TABLE kms_keys ADD COLUMN deletion_date INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE kms_keys ADD COLUMN pending_window_days INTEGER NOT NULL"
	"    DEFAULT 0;"
	"ALTER TABLE kms_keys ADD COLUMN rotation_period_days INTEGER NOT NULL"
	"    DEFAULT 0;"
	"ALTER TABLE kms_keys ADD COLUMN next_rotation_at INTEGER NOT NULL"
	"    DEFAULT 0;"
	"ALTER TABLE kms_keys ADD COLUMN current_version INTEGER NOT NULL"
	"    DEFAULT 1;"
	"CREATE TABLE kms_key_versions ("
	"  key_id		TEXT NOT NULL"
	"      REFERENCES kms_keys (key_id) ON DELETE CASCADE,"
	"  version		INTEGER NOT NULL,"
	"  wrapped_material	BLOB NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  rotation_type	TEXT,"
	"  PRIMARY KEY (key_id, version)"
	");"
	/* The material so far becomes version 1; the old column is unused. */
	"INSERT INTO kms_key_versions (key_id, version, wrapped_material,"
	"    created_at) SELECT key_id, 1, wrapped_material, created_at"
	"    FROM kms_keys;"
	"UPDATE kms_keys SET wrapped_material = x'';"
	"CREATE INDEX kms_keys_page ON kms_keys (account_id, region, key_id);"
	"ALTER TABLE kms_aliases ADD COLUMN updated_at INTEGER NOT NULL"
	"    DEFAULT 0;"
	"CREATE INDEX kms_aliases_key ON kms_aliases (account_id, region,"
	"    key_id);"
	"CREATE TABLE kms_key_tags ("
	"  key_id		TEXT NOT NULL"
	"      REFERENCES kms_keys (key_id) ON DELETE CASCADE,"
	"  tag_key		TEXT NOT NULL,"
	"  tag_value	TEXT NOT NULL,"
	"  PRIMARY KEY (key_id, tag_key)"
	");",

	/* 4: rotation of secrets, external rotation functions */
	"CREATE TABLE secret_rotations ("
	"  secret_id	INTEGER PRIMARY KEY"
	"      REFERENCES secrets (id) ON DELETE CASCADE,"
	"  is_enabled	INTEGER NOT NULL,"
	"  lambda_arn	TEXT,"
	"  after_days	INTEGER NOT NULL DEFAULT 0,"
	"  display_days	INTEGER NOT NULL DEFAULT 0,"
	"  duration	TEXT,"
	"  schedule_expression TEXT,"
	"  last_rotated_at	INTEGER NOT NULL DEFAULT 0,"
	"  next_window_at	INTEGER NOT NULL DEFAULT 0,"
	"  next_window_end_at INTEGER NOT NULL DEFAULT 0,"
	"  pending_version_id TEXT,"
	"  rotation_token	TEXT,"
	"  step		TEXT,"
	"  status		TEXT,"
	"  last_error	TEXT,"
	"  attempt_count	INTEGER NOT NULL DEFAULT 0,"
	"  started_at	INTEGER NOT NULL DEFAULT 0,"
	"  retry_at	INTEGER NOT NULL DEFAULT 0,"
	"  lease_owner	TEXT,"
	"  lease_until	INTEGER NOT NULL DEFAULT 0,"
	"  access_key_id	TEXT,"
	"  updated_at	INTEGER NOT NULL"
	");"
	"CREATE INDEX secret_rotations_window"
	"    ON secret_rotations (next_window_at);"
	"CREATE TABLE rotation_functions ("
	"  arn		TEXT PRIMARY KEY NOT NULL,"
	"  kind		TEXT NOT NULL,"
	"  target		TEXT NOT NULL,"
	"  timeout_seconds	INTEGER NOT NULL DEFAULT 0,"
	"  created_at	INTEGER NOT NULL"
	");"
	"CREATE INDEX access_keys_user ON access_keys (user_name);",

	/* 5: IAM users, groups, roles, managed policies, STS sessions (the
	 * queries are in store_sqlite_iam.c).  kind: 'user', 'group',
	 * 'role'; tags and attachments also 'policy' and 'session'. */
	"CREATE TABLE iam_entities ("
	"  account_id	TEXT NOT NULL REFERENCES accounts (account_id),"
	"  kind		TEXT NOT NULL,"
	"  name		TEXT NOT NULL COLLATE NOCASE,"
	"  id		TEXT NOT NULL UNIQUE,"
	"  path		TEXT NOT NULL,"
	"  arn		TEXT NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  permissions_boundary TEXT,"
	"  trust_policy	TEXT,"
	"  description	TEXT,"
	"  max_session_seconds INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, kind, name)"
	");"
	"CREATE TABLE iam_group_members ("
	"  account_id	TEXT NOT NULL,"
	"  group_name	TEXT NOT NULL COLLATE NOCASE,"
	"  user_name	TEXT NOT NULL COLLATE NOCASE,"
	"  PRIMARY KEY (account_id, group_name, user_name)"
	");"
	"CREATE INDEX iam_group_members_user"
	"    ON iam_group_members (account_id, user_name);"
	"CREATE TABLE iam_inline_policies ("
	"  account_id	TEXT NOT NULL,"
	"  kind		TEXT NOT NULL,"
	"  entity_name	TEXT NOT NULL COLLATE NOCASE,"
	"  policy_name	TEXT NOT NULL COLLATE NOCASE,"
	"  document	TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, kind, entity_name, policy_name)"
	");"
	"CREATE TABLE iam_policies ("
	"  arn		TEXT PRIMARY KEY NOT NULL,"
	"  account_id	TEXT NOT NULL REFERENCES accounts (account_id),"
	"  name		TEXT NOT NULL COLLATE NOCASE,"
	"  id		TEXT NOT NULL UNIQUE,"
	"  path		TEXT NOT NULL,"
	"  description	TEXT,"
	"  default_version	TEXT NOT NULL,"
	"  next_version	INTEGER NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  updated_at	INTEGER NOT NULL,"
	"  UNIQUE (account_id, name)"
	");"
	"CREATE TABLE iam_policy_versions ("
	"  policy_arn	TEXT NOT NULL"
	"      REFERENCES iam_policies (arn) ON DELETE CASCADE,"
	"  version_id	TEXT NOT NULL,"
	"  document	TEXT NOT NULL,"
	"  created_at	INTEGER NOT NULL,"
	"  PRIMARY KEY (policy_arn, version_id)"
	");"
	"CREATE TABLE iam_attachments ("
	"  account_id	TEXT NOT NULL,"
	"  kind		TEXT NOT NULL,"
	"  entity_name	TEXT NOT NULL COLLATE NOCASE,"
	"  policy_arn	TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, kind, entity_name, policy_arn)"
	");"
	"CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);"
	"CREATE TABLE iam_tags ("
	"  account_id	TEXT NOT NULL,"
	"  kind		TEXT NOT NULL,"
	"  name		TEXT NOT NULL COLLATE NOCASE,"
	"  tag_key	TEXT NOT NULL COLLATE NOCASE,"
	"  tag_value	TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, kind, name, tag_key)"
	");"
	"CREATE TABLE iam_sessions ("
	"  access_key_id	TEXT PRIMARY KEY NOT NULL,"
	"  account_id	TEXT NOT NULL REFERENCES accounts (account_id),"
	"  type		TEXT NOT NULL,"
	"  arn		TEXT NOT NULL,"
	"  user_id	TEXT NOT NULL,"
	"  user_name	TEXT,"
	"  role_arn	TEXT,"
	"  role_name	TEXT,"
	"  role_id	TEXT,"
	"  session_name	TEXT,"
	"  source_identity	TEXT,"
	"  source_access_key_id TEXT NOT NULL,"
	"  is_account_administrator INTEGER NOT NULL DEFAULT 0,"
	"  wrapped_secret	BLOB NOT NULL,"
	"  token_hash	TEXT NOT NULL,"
	"  policy		TEXT,"
	"  created_at	INTEGER NOT NULL,"
	"  expires_at	INTEGER NOT NULL"
	");"
	"CREATE INDEX iam_sessions_expiry ON iam_sessions (expires_at);"
	"CREATE INDEX access_keys_owner"
	"    ON access_keys (account_id, user_name, created_at);",

	/* 6: resource policies of secrets */
	"CREATE TABLE secret_policies ("
	"  secret_id	INTEGER PRIMARY KEY"
	"      REFERENCES secrets (id) ON DELETE CASCADE,"
	"  policy		TEXT NOT NULL,"
	"  updated_at	INTEGER NOT NULL"
	");",

	/* 7: the master secret a rotation function may read, fixed when
	 * rotation is configured */
	"ALTER TABLE secret_rotations ADD COLUMN master_arn TEXT;",
};

#define STORE_SQLITE_SCHEMA_VERSION \
	((int)(sizeof(store_sqlite_migrations) / \
	    sizeof(store_sqlite_migrations[0])))

/* Set on every connection; none of these reads the file. */
static const char store_sqlite_pragmas[] =
	"PRAGMA synchronous = FULL;"
	"PRAGMA foreign_keys = ON;"
	"PRAGMA secure_delete = ON;"
	"PRAGMA trusted_schema = OFF;";

enum stmt_id {
	STMT_BEGIN_READ,
	STMT_BEGIN_WRITE,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_SAVEPOINT_RELEASE,
	STMT_SAVEPOINT_UNDO,
	STMT_BATCH_OP,
	STMT_BATCH_OP_RELEASE,
	STMT_BATCH_OP_UNDO,
	STMT_META_GET,
	STMT_META_PUT,
	STMT_ACCOUNT_PUT,
	STMT_ACCOUNT_EXISTS,
	STMT_ACCESS_KEY_PUT,
	STMT_ACCESS_KEY_GET,
	STMT_KMS_KEY_PUT,
	STMT_KMS_KEY_GET,
	STMT_KMS_ALIAS_PUT,
	STMT_KMS_ALIAS_GET,
	STMT_KMS_KEY_UPDATE,
	STMT_KMS_KEY_DELETE,
	STMT_KMS_KEY_ALIASES_DELETE,
	STMT_KMS_KEY_LIST,
	STMT_KMS_KEY_LIST_DUE,
	STMT_KMS_VERSION_PUT,
	STMT_KMS_VERSION_GET,
	STMT_KMS_VERSION_LIST,
	STMT_KMS_ALIAS_UPDATE,
	STMT_KMS_ALIAS_DELETE,
	STMT_KMS_ALIAS_LIST,
	STMT_KMS_TAGS_CLEAR,
	STMT_KMS_TAG_INSERT,
	STMT_KMS_TAGS_GET,
	STMT_ROOT_KMS_LIST,
	STMT_ROOT_KMS_UPDATE,
	STMT_ROOT_ACCESS_LIST,
	STMT_ROOT_ACCESS_UPDATE,
	STMT_ROOT_SESSION_LIST,
	STMT_ROOT_SESSION_UPDATE,
	STMT_META_DELETE,
	STMT_VERSION_REWRAP,
	STMT_SECRET_INSERT,
	STMT_SECRET_GET_BY_NAME,
	STMT_SECRET_GET_BY_ARN,
	STMT_SECRET_UPDATE,
	STMT_SECRET_DELETE,
	STMT_SECRET_LIST,
	STMT_SECRET_LIST_DESC,
	STMT_SECRET_LIST_NAME,
	STMT_SECRET_LIST_NAME_DESC,
	STMT_SECRET_LIST_CHANGED,
	STMT_SECRET_LIST_CHANGED_DESC,
	STMT_SECRET_LIST_ACCESSED,
	STMT_SECRET_LIST_ACCESSED_DESC,
	STMT_SECRET_LIST_DUE,
	STMT_SECRET_COUNTS,
	STMT_REPLICA_PUT,
	STMT_SECRET_POLICY_PUT,
	STMT_SECRET_POLICY_GET,
	STMT_SECRET_POLICY_DELETE,
	STMT_REPLICA_LIST,
	STMT_REPLICA_DELETE,
	STMT_TAGS_CLEAR,
	STMT_TAG_INSERT,
	STMT_TAGS_GET,
	STMT_VERSION_INSERT,
	STMT_VERSION_GET,
	STMT_VERSION_GET_BY_STAGE,
	STMT_VERSION_LIST,
	STMT_VERSION_LIST_PRUNABLE,
	STMT_VERSION_DELETE,
	STMT_VERSION_STAGES,
	STMT_STAGE_MOVE,
	STMT_STAGE_REMOVE,
	STMT_ROTATION_GET,
	STMT_ROTATION_PUT,
	STMT_ROTATION_LIST,
	STMT_ROTATION_FUNCTION_PUT,
	STMT_ROTATION_FUNCTION_GET,
	STMT_ROTATION_FUNCTION_LIST,
	STMT_ROTATION_FUNCTION_DELETE,
	STMT_ACCESS_KEY_DELETE,
	STMT_ACCESS_KEY_LIST_BY_USER,
	STMT__COUNT
};

/* A rotation row with what it needs of its secret. */
#define ROTATION_COLUMNS						\
	"r.secret_id, r.is_enabled, r.lambda_arn, r.after_days, "	\
	"r.display_days, r.duration, r.schedule_expression, "		\
	"r.last_rotated_at, r.next_window_at, r.next_window_end_at, "	\
	"r.pending_version_id, r.rotation_token, r.step, r.status, "	\
	"r.last_error, r.attempt_count, r.started_at, r.retry_at, "	\
	"r.lease_owner, r.lease_until, r.access_key_id, r.updated_at, "	\
	"s.arn, s.account_id, s.region, s.deleted_at, "		\
	"(SELECT v.created_at FROM version_stages vs "			\
	"JOIN secret_versions v ON v.secret_id = vs.secret_id "	\
	"AND v.version_id = vs.version_id "				\
	"WHERE vs.secret_id = r.secret_id AND vs.stage = 'AWSCURRENT'), "\
	"r.master_arn "							\
	"FROM secret_rotations r JOIN secrets s ON s.id = r.secret_id "

#define SECRET_COLUMNS							\
	"id, account_id, region, name, arn, description, kms_key_id, "	\
	"created_at, last_changed_at, last_accessed_at, deleted_at, "	\
	"deletion_date, primary_arn"

#define KMS_KEY_COLUMNS							\
	"key_id, account_id, region, arn, description, key_manager, "	\
	"state, policy, created_at, deletion_date, pending_window_days, "\
	"rotation_period_days, next_rotation_at, current_version"

/* ?3 chooses whether the sealed value is read at all. */
#define VERSION_COLUMNS(p)						\
	p "secret_id, " p "version_id, " p "created_at, "		\
	p "last_accessed_at, " p "is_binary, " p "kms_key_arn, "	\
	"CASE WHEN ?3 THEN " p "ciphertext END, "			\
	"CASE WHEN ?3 THEN " p "wrapped_key END"

static const char *const stmt_sql[STMT__COUNT] = {
	[STMT_BEGIN_READ] = "BEGIN",
	[STMT_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SAVEPOINT] = "SAVEPOINT store_op",
	[STMT_SAVEPOINT_RELEASE] = "RELEASE store_op",
	[STMT_SAVEPOINT_UNDO] = "ROLLBACK TO store_op",
	[STMT_BATCH_OP] = "SAVEPOINT batch_op",
	[STMT_BATCH_OP_RELEASE] = "RELEASE batch_op",
	[STMT_BATCH_OP_UNDO] = "ROLLBACK TO batch_op",

	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[STMT_META_PUT] =
	    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",

	[STMT_ACCOUNT_PUT] =
	    "INSERT INTO accounts (account_id, created_at) VALUES (?1, ?2)",
	[STMT_ACCOUNT_EXISTS] = "SELECT 1 FROM accounts WHERE account_id = ?1",

	[STMT_ACCESS_KEY_PUT] =
	    "INSERT INTO access_keys (access_key_id, account_id, "
	    "principal_arn, user_name, user_id, wrapped_secret, is_active, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_ACCESS_KEY_GET] =
	    "SELECT access_key_id, account_id, principal_arn, user_name, "
	    "user_id, wrapped_secret, is_active, created_at "
	    "FROM access_keys WHERE access_key_id = ?1",

	[STMT_KMS_KEY_PUT] =
	    "INSERT INTO kms_keys (key_id, account_id, region, arn, "
	    "description, key_manager, state, wrapped_material, created_at, "
	    "policy, deletion_date, pending_window_days, rotation_period_days, "
	    "next_rotation_at, current_version) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, x'', ?8, ?9, ?10, ?11, ?12, "
	    "?13, ?14)",
	[STMT_KMS_KEY_GET] =
	    "SELECT " KMS_KEY_COLUMNS " FROM kms_keys "
	    "WHERE key_id = ?1 AND account_id = ?2 AND region = ?3",
	[STMT_KMS_ALIAS_PUT] =
	    "INSERT INTO kms_aliases (account_id, region, alias_name, key_id, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_KMS_ALIAS_GET] =
	    "SELECT key_id FROM kms_aliases "
	    "WHERE account_id = ?1 AND region = ?2 AND alias_name = ?3",
	[STMT_KMS_KEY_UPDATE] =
	    "UPDATE kms_keys SET description = ?2, state = ?3, policy = ?4, "
	    "deletion_date = ?5, pending_window_days = ?6, "
	    "rotation_period_days = ?7, next_rotation_at = ?8, "
	    "current_version = ?9 WHERE key_id = ?1",
	[STMT_KMS_KEY_DELETE] = "DELETE FROM kms_keys WHERE key_id = ?1",
	[STMT_KMS_KEY_ALIASES_DELETE] =
	    "DELETE FROM kms_aliases WHERE key_id = ?1",
	[STMT_KMS_KEY_LIST] =
	    "SELECT " KMS_KEY_COLUMNS " FROM kms_keys "
	    "WHERE account_id = ?1 AND region = ?2 AND key_id > ?3 "
	    "ORDER BY key_id LIMIT ?4",
	[STMT_KMS_KEY_LIST_DUE] =
	    "SELECT " KMS_KEY_COLUMNS " FROM kms_keys "
	    "WHERE (state = 'PendingDeletion' AND deletion_date <= ?1) "
	    "OR (state = 'Enabled' AND rotation_period_days > 0 "
	    "AND next_rotation_at != 0 AND next_rotation_at <= ?1) "
	    "ORDER BY key_id LIMIT ?2",
	[STMT_KMS_VERSION_PUT] =
	    "INSERT INTO kms_key_versions (key_id, version, wrapped_material, "
	    "created_at, rotation_type) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_KMS_VERSION_GET] =
	    "SELECT key_id, version, wrapped_material, created_at, "
	    "rotation_type FROM kms_key_versions "
	    "WHERE key_id = ?1 AND version = ?2",
	[STMT_KMS_VERSION_LIST] =
	    "SELECT key_id, version, wrapped_material, created_at, "
	    "rotation_type FROM kms_key_versions "
	    "WHERE key_id = ?1 ORDER BY version",
	[STMT_KMS_ALIAS_UPDATE] =
	    "UPDATE kms_aliases SET key_id = ?4, updated_at = ?5 "
	    "WHERE account_id = ?1 AND region = ?2 AND alias_name = ?3",
	[STMT_KMS_ALIAS_DELETE] =
	    "DELETE FROM kms_aliases "
	    "WHERE account_id = ?1 AND region = ?2 AND alias_name = ?3",
	[STMT_KMS_ALIAS_LIST] =
	    "SELECT alias_name, key_id, created_at, updated_at "
	    "FROM kms_aliases WHERE account_id = ?1 AND region = ?2 "
	    "AND (?3 IS NULL OR key_id = ?3) AND alias_name > ?4 "
	    "ORDER BY alias_name LIMIT ?5",
	[STMT_KMS_TAGS_CLEAR] = "DELETE FROM kms_key_tags WHERE key_id = ?1",
	[STMT_KMS_TAG_INSERT] =
	    "INSERT INTO kms_key_tags (key_id, tag_key, tag_value) "
	    "VALUES (?1, ?2, ?3)",
	[STMT_KMS_TAGS_GET] =
	    "SELECT tag_key, tag_value FROM kms_key_tags WHERE key_id = ?1 "
	    "ORDER BY tag_key",
	[STMT_ROOT_KMS_LIST] =
	    "SELECT v.key_id, v.version, k.arn, v.wrapped_material "
	    "FROM kms_key_versions v JOIN kms_keys k ON k.key_id = v.key_id "
	    "WHERE (v.key_id, v.version) > (?1, ?2) "
	    "ORDER BY v.key_id, v.version LIMIT ?3",
	[STMT_ROOT_KMS_UPDATE] =
	    "UPDATE kms_key_versions SET wrapped_material = ?3 "
	    "WHERE key_id = ?1 AND version = ?2 AND wrapped_material = ?4",
	/* ?2 keeps the binding shape of the KMS query; it is always 0. */
	[STMT_ROOT_ACCESS_LIST] =
	    "SELECT access_key_id, ?2, NULL, wrapped_secret FROM access_keys "
	    "WHERE access_key_id > ?1 ORDER BY access_key_id LIMIT ?3",
	[STMT_ROOT_ACCESS_UPDATE] =
	    "UPDATE access_keys SET wrapped_secret = ?3 "
	    "WHERE access_key_id = ?1 AND ?2 = 0 AND wrapped_secret = ?4",
	[STMT_ROOT_SESSION_LIST] =
	    "SELECT access_key_id, ?2, NULL, wrapped_secret FROM iam_sessions "
	    "WHERE access_key_id > ?1 ORDER BY access_key_id LIMIT ?3",
	[STMT_ROOT_SESSION_UPDATE] =
	    "UPDATE iam_sessions SET wrapped_secret = ?3 "
	    "WHERE access_key_id = ?1 AND ?2 = 0 AND wrapped_secret = ?4",
	[STMT_META_DELETE] = "DELETE FROM meta WHERE key = ?1",
	[STMT_VERSION_REWRAP] =
	    "UPDATE secret_versions SET kms_key_arn = ?3, wrapped_key = ?4 "
	    "WHERE secret_id = ?1 AND version_id = ?2",

	[STMT_SECRET_INSERT] =
	    "INSERT INTO secrets (account_id, region, name, arn, description, "
	    "kms_key_id, created_at, last_changed_at, last_accessed_at, "
	    "deleted_at, deletion_date, primary_arn) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[STMT_SECRET_GET_BY_NAME] =
	    "SELECT " SECRET_COLUMNS " FROM secrets "
	    "WHERE account_id = ?1 AND region = ?2 AND name = ?3",
	[STMT_SECRET_GET_BY_ARN] =
	    "SELECT " SECRET_COLUMNS " FROM secrets WHERE arn = ?1",
	[STMT_SECRET_UPDATE] =
	    "UPDATE secrets SET description = ?2, kms_key_id = ?3, "
	    "last_changed_at = ?4, last_accessed_at = ?5, deleted_at = ?6, "
	    "deletion_date = ?7, primary_arn = ?8 WHERE id = ?1",
	[STMT_SECRET_DELETE] = "DELETE FROM secrets WHERE id = ?1",
	[STMT_SECRET_LIST] =
	    "SELECT " SECRET_COLUMNS " FROM secrets "
	    "WHERE account_id = ?1 AND region = ?2 AND id > ?3 "
	    "AND (?4 OR deleted_at = 0) ORDER BY id LIMIT ?5",
	[STMT_SECRET_COUNTS] =
	    "SELECT account_id, COUNT(*) FROM secrets "
	    "GROUP BY account_id ORDER BY account_id",
	[STMT_SECRET_LIST_DUE] =
	    "SELECT " SECRET_COLUMNS " FROM secrets "
	    "WHERE deleted_at != 0 AND deletion_date <= ?1 "
	    "ORDER BY deletion_date, id LIMIT ?2",
	[STMT_SECRET_POLICY_PUT] =
	    "INSERT OR REPLACE INTO secret_policies (secret_id, policy, "
	    "updated_at) VALUES (?1, ?2, ?3)",
	[STMT_SECRET_POLICY_GET] =
	    "SELECT policy FROM secret_policies WHERE secret_id = ?1",
	[STMT_SECRET_POLICY_DELETE] =
	    "DELETE FROM secret_policies WHERE secret_id = ?1",
	[STMT_REPLICA_PUT] =
	    "INSERT OR REPLACE INTO secret_replicas (secret_id, region, "
	    "kms_key_id, status, status_message, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_REPLICA_LIST] =
	    "SELECT region, kms_key_id, status, status_message, created_at "
	    "FROM secret_replicas WHERE secret_id = ?1 ORDER BY region",
	[STMT_REPLICA_DELETE] =
	    "DELETE FROM secret_replicas WHERE secret_id = ?1 AND region = ?2",
	[STMT_SECRET_LIST_DESC] =
	    "SELECT " SECRET_COLUMNS " FROM secrets "
	    "WHERE account_id = ?1 AND region = ?2 AND id < ?3 "
	    "AND (?4 OR deleted_at = 0) ORDER BY id DESC LIMIT ?5",
	/* Keyset paging on (column, id): ?6 the last value, ?7 "first page". */
#define SECRET_LIST_BY(col, cmp, dir)					\
	    "SELECT " SECRET_COLUMNS " FROM secrets "			\
	    "WHERE account_id = ?1 AND region = ?2 AND (?4 OR deleted_at = 0) " \
	    "AND (?7 OR " col " " cmp " ?6 OR (" col " = ?6 AND id " cmp " ?3)) " \
	    "ORDER BY " col " " dir ", id " dir " LIMIT ?5"
	[STMT_SECRET_LIST_NAME] = SECRET_LIST_BY("name", ">", "ASC"),
	[STMT_SECRET_LIST_NAME_DESC] = SECRET_LIST_BY("name", "<", "DESC"),
	[STMT_SECRET_LIST_CHANGED] = SECRET_LIST_BY("last_changed_at", ">", "ASC"),
	[STMT_SECRET_LIST_CHANGED_DESC] =
	    SECRET_LIST_BY("last_changed_at", "<", "DESC"),
	[STMT_SECRET_LIST_ACCESSED] =
	    SECRET_LIST_BY("last_accessed_at", ">", "ASC"),
	[STMT_SECRET_LIST_ACCESSED_DESC] =
	    SECRET_LIST_BY("last_accessed_at", "<", "DESC"),
#undef SECRET_LIST_BY

	[STMT_TAGS_CLEAR] = "DELETE FROM secret_tags WHERE secret_id = ?1",
	[STMT_TAG_INSERT] =
	    "INSERT INTO secret_tags (secret_id, key, value) VALUES (?1, ?2, ?3)",
	[STMT_TAGS_GET] =
	    "SELECT key, value FROM secret_tags WHERE secret_id = ?1 "
	    "ORDER BY key",

	[STMT_VERSION_INSERT] =
	    "INSERT INTO secret_versions (secret_id, version_id, created_at, "
	    "last_accessed_at, is_binary, kms_key_arn, ciphertext, wrapped_key) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_VERSION_GET] =
	    "SELECT " VERSION_COLUMNS("") " FROM secret_versions "
	    "WHERE secret_id = ?1 AND version_id = ?2",
	/* By the index the stages are read with next (it holds all three
	 * columns): one page of it for both, and no row of the table.  The
	 * secret's labels are scanned for ?2, so a read costs more as they
	 * grow (Sesame sets no limit; a secret usually has two or three). */
	[STMT_VERSION_GET_BY_STAGE] =
	    "SELECT " VERSION_COLUMNS("v.") " FROM version_stages s "
	    "INDEXED BY version_stages_version JOIN secret_versions v "
	    "ON v.secret_id = s.secret_id AND v.version_id = s.version_id "
	    "WHERE s.secret_id = ?1 AND s.stage = ?2",
	[STMT_VERSION_LIST] =
	    "SELECT secret_id, version_id, created_at, last_accessed_at, "
	    "is_binary, kms_key_arn, NULL, NULL FROM secret_versions "
	    "WHERE secret_id = ?1 ORDER BY created_at DESC, rowid DESC",
	/* The old enough ones first, by the age index, and only then which
	 * of them are among the newest ?2 (by the index alone): the usual
	 * answer, nothing, reads no row however many versions are young. */
	[STMT_VERSION_LIST_PRUNABLE] =
	    "SELECT secret_id, version_id, created_at, last_accessed_at, "
	    "is_binary, kms_key_arn, NULL, NULL FROM secret_versions "
	    "WHERE secret_id = ?1 AND created_at <= ?3 AND rowid NOT IN ("
	    "SELECT rowid FROM secret_versions WHERE secret_id = ?1 "
	    "ORDER BY created_at DESC, rowid DESC LIMIT ?2) "
	    "ORDER BY created_at DESC, rowid DESC",
	[STMT_VERSION_DELETE] =
	    "DELETE FROM secret_versions WHERE secret_id = ?1 AND version_id = ?2",
	[STMT_VERSION_STAGES] =
	    "SELECT stage FROM version_stages "
	    "WHERE secret_id = ?1 AND version_id = ?2 ORDER BY stage",
	/* One statement, so a failed move (no such version) moves nothing. */
	[STMT_STAGE_MOVE] =
	    "INSERT INTO version_stages (secret_id, stage, version_id) "
	    "VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (secret_id, stage) DO UPDATE "
	    "SET version_id = excluded.version_id",
	[STMT_STAGE_REMOVE] =
	    "DELETE FROM version_stages "
	    "WHERE secret_id = ?1 AND stage = ?2 AND version_id = ?3",

	[STMT_ROTATION_GET] =
	    "SELECT " ROTATION_COLUMNS "WHERE r.secret_id = ?1",
	[STMT_ROTATION_PUT] =
	    "INSERT OR REPLACE INTO secret_rotations (secret_id, is_enabled, "
	    "lambda_arn, after_days, display_days, duration, "
	    "schedule_expression, last_rotated_at, next_window_at, "
	    "next_window_end_at, pending_version_id, rotation_token, step, "
	    "status, last_error, attempt_count, started_at, retry_at, "
	    "lease_owner, lease_until, access_key_id, updated_at, master_arn) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
	/* ?3 = 0 lists every row; else the rows due at ?3. */
	[STMT_ROTATION_LIST] =
	    "SELECT " ROTATION_COLUMNS
	    "WHERE (?1 IS NULL OR s.account_id = ?1) AND r.secret_id > ?2 "
	    "AND (?3 = 0 OR (s.deleted_at = 0 AND ("
	    "(r.pending_version_id IS NOT NULL AND r.retry_at <= ?3) OR "
	    "(r.pending_version_id IS NULL AND r.is_enabled != 0 "
	    "AND r.next_window_at != 0 AND r.next_window_at <= ?3)))) "
	    "ORDER BY r.secret_id LIMIT ?4",
	[STMT_ROTATION_FUNCTION_PUT] =
	    "INSERT INTO rotation_functions (arn, kind, target, "
	    "timeout_seconds, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_ROTATION_FUNCTION_GET] =
	    "SELECT arn, kind, target, timeout_seconds, created_at "
	    "FROM rotation_functions WHERE arn = ?1",
	[STMT_ROTATION_FUNCTION_LIST] =
	    "SELECT arn, kind, target, timeout_seconds, created_at "
	    "FROM rotation_functions ORDER BY arn",
	[STMT_ROTATION_FUNCTION_DELETE] =
	    "DELETE FROM rotation_functions WHERE arn = ?1",
	[STMT_ACCESS_KEY_DELETE] =
	    "DELETE FROM access_keys WHERE access_key_id = ?1",
	[STMT_ACCESS_KEY_LIST_BY_USER] =
	    "SELECT access_key_id, account_id, principal_arn, user_name, "
	    "user_id, is_active, created_at FROM access_keys "
	    "WHERE user_name = ?1 ORDER BY created_at, access_key_id",
};

struct sqlite_conn;

/* A write that ended inside the open batch, waiting for its commit; on
 * the waiting thread's stack. */
struct batch_member {
	enum status		 st;
	bool			 is_done;
	struct batch_member	*next;
};

struct sqlite_store {
	char			*path;
	pthread_mutex_t		 lock;
	struct sqlite_conn	*idle;		/* guarded by lock */
	size_t			 idle_count;	/* guarded by lock */
	size_t			 busy_count;	/* guarded by lock */

	/* The write turn and the batch, all guarded by writer_lock. */
	pthread_mutex_t		 writer_lock;
	pthread_cond_t		 turn_free;
	pthread_cond_t		 batch_done;
	bool			 has_writer_lock;	/* initialised */
	bool			 is_turn_taken;
	size_t			 turn_waiting;
	struct sqlite_conn	*batch;		/* open transaction, or NULL */
	struct batch_member	*members;
	size_t			 member_count;

	/* Commits by anyone, seen in the WAL-index (store_sqlite_begin).
	 * wal_keeper, a connection that never runs a statement, keeps the
	 * -shm file open for the store's life: while a connection of this
	 * process has it open no connection anywhere may truncate and
	 * rebuild it, which would fault the mapping. */
	struct wal_index_watch	 wal_index;
	struct sqlite_conn	*wal_keeper;
};

struct sqlite_conn {
	struct sqlite_store	*store;
	sqlite3			*db;
	sqlite3_stmt		*stmts[STMT__COUNT];
	/* store_sqlite_iam.c's statements (store_sqlite_statement). */
	sqlite3_stmt		*extra_stmts[STORE_SQLITE_EXTRA_STMTS];
	struct sqlite_conn	*next;		/* in the idle list */
	bool			 is_batch;	/* the open batch's */
	int			 wal_pages;	/* after its last commit */
	/* A read transaction kept open, begun after read_mark was read. */
	bool			 is_reading;
	struct wal_index_mark	 read_mark;
};

/* ---- errors ---- */

/* Map a failed sqlite call to a status; log what the client never sees. */
static enum status
conn_status(struct sqlite_conn *c, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return STATUS_EXISTS;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return STATUS_NOT_FOUND;
	default:
		break;
	}
	log_error("store: %s: %s (%s)", what, sqlite3_errmsg(c->db),
	    sqlite3_errstr(rc));
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return STATUS_NO_MEMORY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STATUS_CORRUPT;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISUSE:
	case SQLITE_RANGE:
		return STATUS_INTERNAL;
	default:
		return STATUS_IO;
	}
}

/* The same at open, where the caller also wants a message. */
static enum status
conn_open_status(struct sqlite_conn *c, int rc, const char *what,
    struct error *err)
{
	enum status	 st;

	log_error("store: %s %s: %s", what, c->store->path,
	    c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		st = error_set(err, STATUS_CORRUPT,
		    "the database file is not a valid SQLite database");
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		st = error_set(err, STATUS_IO,
		    "the database is locked by another process");
		break;
	case SQLITE_NOMEM:
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		break;
	default:
		st = error_set(err, STATUS_IO, "cannot open the database");
		break;
	}
	return st;
}

/* ---- statements ---- */

static enum status
conn_stmt(struct sqlite_conn *c, enum stmt_id id, sqlite3_stmt **out)
{
	int		 rc;

	if (c->stmts[id] == NULL) {
		rc = sqlite3_prepare_v3(c->db, stmt_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &c->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			c->stmts[id] = NULL;
			return conn_status(c, rc, "prepare");
		}
	}
	*out = c->stmts[id];
	return STATUS_OK;
}

/* A statement inside the caller's transaction. */
static enum status
txn_stmt(struct sqlite_conn *c, enum stmt_id id, sqlite3_stmt **out)
{
	if (sqlite3_get_autocommit(c->db)) {
		log_error("store: the transaction was rolled back after an "
		    "earlier error");
		return STATUS_IO;
	}
	return conn_stmt(c, id, out);
}

static void
stmt_reset(sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Run a statement that returns no rows, then reset it. */
static enum status
stmt_done(struct sqlite_conn *c, sqlite3_stmt *s, int rc, const char *what)
{
	enum status	 st = STATUS_OK;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		st = conn_status(c, rc, what);
	stmt_reset(s);
	return st;
}

/* Step to the first row: STATUS_OK on a row, STATUS_NOT_FOUND on none. */
static enum status
stmt_row(struct sqlite_conn *c, sqlite3_stmt *s, int rc, const char *what)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return STATUS_OK;
	if (rc == SQLITE_DONE)
		return STATUS_NOT_FOUND;
	return conn_status(c, rc, what);
}

/* Savepoints make a several-statement operation all or nothing. */
static enum status
savepoint_begin(struct sqlite_conn *c)
{
	sqlite3_stmt	*s = NULL;
	enum status	 st;

	if ((st = txn_stmt(c, STMT_SAVEPOINT, &s)) != STATUS_OK)
		return st;
	return stmt_done(c, s, SQLITE_OK, "savepoint");
}

static enum status
savepoint_end(struct sqlite_conn *c, enum status st)
{
	sqlite3_stmt	*s;
	enum status	 release;

	if (sqlite3_get_autocommit(c->db))
		return st == STATUS_OK ? STATUS_IO : st;
	if (st != STATUS_OK &&
	    conn_stmt(c, STMT_SAVEPOINT_UNDO, &s) == STATUS_OK)
		(void)stmt_done(c, s, SQLITE_OK, "savepoint undo");
	if ((release = conn_stmt(c, STMT_SAVEPOINT_RELEASE, &s)) == STATUS_OK)
		release = stmt_done(c, s, SQLITE_OK, "savepoint release");
	return st != STATUS_OK ? st : release;
}

/* ---- connections and the pool ---- */

static void
conn_close(struct sqlite_conn *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(c->stmts[i]);
	for (size_t i = 0; i < STORE_SQLITE_EXTRA_STMTS; i++)
		sqlite3_finalize(c->extra_stmts[i]);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_error("store: closing a connection: %s",
		    sqlite3_errmsg(c->db));
	free(c);
}

/* Replaces SQLite's automatic checkpoint: see batch_finish. */
static int
conn_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct sqlite_conn *c = arg;

	(void)db;
	(void)name;
	c->wal_pages = pages;
	return SQLITE_OK;
}

static pthread_once_t	library_once = PTHREAD_ONCE_INIT;

/*
 * With its memory statistics on (the default), SQLite takes one mutex of
 * its own around every allocation and free, shared by every connection of
 * the process: the HTTP workers' reads queued on it (4 in 10 of the
 * server's futex calls at 64 connections).  Nothing here reads those
 * statistics or sets a heap limit, so they are off.  sqlite3_config works
 * only before SQLite initialises; should something else have initialised
 * it first, the statistics stay on and nothing else changes.
 */
static void
library_configure(void)
{
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_debug("store: SQLite was initialised before its "
		    "configuration: memory statistics stay on");
	(void)sqlite3_initialize();
}

static enum status
conn_open(struct sqlite_store *ss, struct sqlite_conn **out,
    struct error *err)
{
	struct sqlite_conn *c = NULL;
	enum status	 st = STATUS_NO_MEMORY;
	int		 flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int		 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	c->store = ss;
#ifdef SQLITE_OPEN_NOFOLLOW
	flags |= SQLITE_OPEN_NOFOLLOW;
#endif
	/* The file exists (store_sqlite_open made it): never create here. */
	if ((rc = sqlite3_open_v2(ss->path, &c->db, flags, NULL)) !=
	    SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot open", err);
		goto out;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, STORE_SQLITE_BUSY_TIMEOUT_MS);
	sqlite3_wal_hook(c->db, conn_wal_hook, c);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if ((rc = sqlite3_exec(c->db, store_sqlite_pragmas, NULL, NULL,
	    NULL)) != SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot configure", err);
		goto out;
	}
	*out = c;
	c = NULL;
	st = STATUS_OK;
out:
	conn_close(c);
	return st;
}

static enum status
pool_take(struct sqlite_store *ss, struct sqlite_conn **out)
{
	struct sqlite_conn *c;
	enum status	 st;

	pthread_mutex_lock(&ss->lock);
	if ((c = ss->idle) != NULL) {
		ss->idle = c->next;
		ss->idle_count--;
	}
	ss->busy_count++;
	pthread_mutex_unlock(&ss->lock);

	if (c == NULL && (st = conn_open(ss, &c, NULL)) != STATUS_OK) {
		pthread_mutex_lock(&ss->lock);
		ss->busy_count--;
		pthread_mutex_unlock(&ss->lock);
		return st;
	}
	c->next = NULL;
	*out = c;
	return STATUS_OK;
}

/* Hand a connection back; one left inside a transaction other than a
 * kept read transaction is closed. */
static void
pool_give(struct sqlite_conn *c)
{
	struct sqlite_store *ss = c->store;
	bool		 reusable;

	if (sqlite3_get_autocommit(c->db))
		c->is_reading = false;
	reusable = sqlite3_get_autocommit(c->db) != 0 || c->is_reading;

	pthread_mutex_lock(&ss->lock);
	ss->busy_count--;
	if (reusable && ss->idle_count < STORE_SQLITE_IDLE_MAX) {
		c->next = ss->idle;
		ss->idle = c;
		ss->idle_count++;
		c = NULL;
	}
	pthread_mutex_unlock(&ss->lock);
	conn_close(c);
}

static void
store_sqlite_free(struct sqlite_store *ss)
{
	struct sqlite_conn *c;

	if (ss == NULL)
		return;
	if (ss->busy_count != 0)
		log_error("store: closed with %zu transactions still open",
		    ss->busy_count);
	while ((c = ss->idle) != NULL) {
		ss->idle = c->next;
		conn_close(c);
	}
	conn_close(ss->wal_keeper);
	/* Last: closing its descriptor drops SQLite's locks on the file. */
	wal_index_watch_close(&ss->wal_index);
	pthread_mutex_destroy(&ss->lock);
	if (ss->has_writer_lock) {
		pthread_mutex_destroy(&ss->writer_lock);
		pthread_cond_destroy(&ss->turn_free);
		pthread_cond_destroy(&ss->batch_done);
	}
	free(ss->path);
	free(ss);
}

/* ---- opening: the file, the journal mode, the migrations ---- */

/* Create the file 0600 if it is missing; refuse anything but a file. */
static enum status
file_prepare(const char *path, struct error *err)
{
	struct stat	 sb;
	int		 fd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    S_IRUSR | S_IWUSR);
	if (fd != -1) {
		/* umask may have taken bits the owner needs. */
		if (fchmod(fd, S_IRUSR | S_IWUSR) == -1) {
			log_error("store: chmod %s: %s", path, strerror(errno));
			close(fd);
			return error_set(err, STATUS_IO,
			    "cannot create the database file");
		}
		close(fd);
		return STATUS_OK;
	}
	if (errno != EEXIST) {
		log_error("store: create %s: %s", path, strerror(errno));
		return error_set(err, STATUS_IO,
		    "cannot create the database file");
	}
	if (lstat(path, &sb) == -1) {
		log_error("store: stat %s: %s", path, strerror(errno));
		return error_set(err, STATUS_IO,
		    "cannot open the database file");
	}
	if (!S_ISREG(sb.st_mode)) {
		log_error("store: %s is not a regular file", path);
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "the database path is not a regular file");
	}
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		log_warn("store: %s is readable by others (mode %03o); "
		    "chmod 600 it", path, (unsigned)(sb.st_mode & 0777));
	return STATUS_OK;
}

/* One integer from a fixed query, at open. */
static int
conn_query_int(struct sqlite_conn *c, const char *sql, int64_t *out)
{
	sqlite3_stmt	*s = NULL;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL)) != SQLITE_OK)
		goto out;
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		goto out;
	*out = sqlite3_column_int64(s, 0);
	rc = SQLITE_OK;
out:
	sqlite3_finalize(s);
	return rc;
}

/*
 * Is this file Sesame's, and of a schema this build knows?  Reads only:
 * the answer must be known before anything writes to the file, so that a
 * refused start leaves another program's database exactly as it was
 * (PRAGMA journal_mode = WAL alone rewrites header bytes 18-19).  Run
 * once before the file is touched and again inside the migration's lock,
 * where another process may have got there first.  *version is the
 * schema version on success.
 */
static enum status
conn_identity(struct sqlite_conn *c, int64_t *version, struct error *err)
{
	int64_t		 app = 0, user_version = 0, objects = 0;
	int		 rc;

	/* The first statements that read the file: NOTADB shows here. */
	if ((rc = conn_query_int(c, "PRAGMA application_id", &app)) !=
	    SQLITE_OK ||
	    (rc = conn_query_int(c, "PRAGMA user_version", &user_version)) !=
	    SQLITE_OK ||
	    (rc = conn_query_int(c, "SELECT count(*) FROM sqlite_master",
	    &objects)) != SQLITE_OK)
		return conn_open_status(c, rc, "cannot read the schema of",
		    err);
	if (app != STORE_SQLITE_APPLICATION_ID &&
	    (app != 0 || user_version != 0 || objects != 0)) {
		log_error("store: %s is a SQLite database of another program "
		    "(application_id %lld)", c->store->path, (long long)app);
		return error_set(err, STATUS_CORRUPT,
		    "the database file belongs to another program");
	}
	if (user_version > STORE_SQLITE_SCHEMA_VERSION) {
		log_error("store: %s has schema %lld; this build knows up to %d",
		    c->store->path, (long long)user_version,
		    STORE_SQLITE_SCHEMA_VERSION);
		return error_set(err, STATUS_CORRUPT,
		    "the database was written by a newer Sesame (schema %lld, "
		    "this build knows %d): upgrade Sesame",
		    (long long)user_version, STORE_SQLITE_SCHEMA_VERSION);
	}
	if (user_version < 0)
		return error_set(err, STATUS_CORRUPT,
		    "the database has an invalid schema version");
	*version = user_version;
	return STATUS_OK;
}

/*
 * Read the whole file once, in order, before the integrity check: the
 * check walks each b-tree in key order, which is random page order on
 * disk, and on a cold cache that costs seconds where one sequential read
 * costs a tenth of one (docs/reliability.md has the figures).  Through
 * SQLite's own file handle, never a descriptor of our own: closing one
 * would drop every POSIX lock this process holds on the file, SQLite's
 * included, and another process closing its last connection could then
 * take the WAL away from under this one.  Not mmap either: a read error
 * there is a SIGBUS, here it is a message.
 */
static enum status
conn_preread(struct sqlite_conn *c, struct error *err)
{
	sqlite3_file	*file = NULL;
	sqlite3_int64	 size = 0, off, n;
	enum status	 st = STATUS_IO;
	char		*buf = NULL;
	int		 rc;

	if ((rc = sqlite3_file_control(c->db, "main",
	    SQLITE_FCNTL_FILE_POINTER, &file)) != SQLITE_OK || file == NULL ||
	    file->pMethods == NULL ||
	    (rc = file->pMethods->xFileSize(file, &size)) != SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot read", err);
		goto out;
	}
	if ((buf = malloc(STORE_SQLITE_PREREAD_BYTES)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	for (off = 0; off < size; off += n) {
		n = size - off < STORE_SQLITE_PREREAD_BYTES ? size - off :
		    STORE_SQLITE_PREREAD_BYTES;
		/* A short read is the file shrinking under us: the check
		 * that follows judges what is there. */
		rc = file->pMethods->xRead(file, buf, (int)n, off);
		if (rc == SQLITE_IOERR_SHORT_READ)
			break;
		if (rc != SQLITE_OK) {
			log_error("store: read %s: %s", c->store->path,
			    sqlite3_errstr(rc));
			st = error_set(err, STATUS_IO,
			    "cannot read the database file (%s)",
			    sqlite3_errstr(rc));
			goto out;
		}
	}
	st = STATUS_OK;
out:
	free(buf);
	return st;
}

/*
 * The first line of a quick_check report, without the heading SQLite puts
 * before it ("*** in database main ***"), for the one-line message.
 */
static void
check_finding(char *buf, size_t size, const unsigned char *text)
{
	const char	*line = text != NULL ? (const char *)text : "?";
	const char	*heading = "*** in database main ***\n";

	if (strncmp(line, heading, strlen(heading)) == 0)
		line += strlen(heading);
	snprintf(buf, size, "%.*s", (int)strcspn(line, "\n"), line);
}

/*
 * Refuse a database whose pages are damaged, before serving from it:
 * otherwise the damage shows only as failures of the requests that
 * touch it, and the server runs on half its data.  PRAGMA quick_check
 * reads every page and checks each b-tree's structure, the free list and
 * that no page is lost or used twice.  integrity_check would also compare
 * every index with its table, at three times the cost (0.5 s against
 * 0.15 s for 100 000 secrets).  Neither sees a byte changed inside a row;
 * for a secret's value the AES-GCM tag does, when it is read.  Reads only.
 */
static enum status
conn_check_integrity(struct sqlite_conn *c, struct error *err)
{
	sqlite3_stmt	*s = NULL;
	const unsigned char *text;
	char		 first[256] = "";
	enum status	 st = STATUS_IO;
	struct timespec	 t0, t1;
	int		 problems = 0, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((st = conn_preread(c, err)) != STATUS_OK)
		goto out;
	if ((rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check("
	    STORE_SQLITE_CHECK_REPORTS ")", -1, &s, NULL)) != SQLITE_OK)
		goto failed;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		text = sqlite3_column_text(s, 0);
		if (text != NULL && strcmp((const char *)text, "ok") == 0)
			continue;
		log_error("store: %s: integrity check: %s", c->store->path,
		    text != NULL ? (const char *)text : "?");
		if (problems++ == 0)
			check_finding(first, sizeof(first), text);
	}
	/* The check may also stop on damage it has already reported. */
	if (problems > 0) {
		st = error_set(err, STATUS_CORRUPT,
		    "the database file is damaged (%s; the log has the whole "
		    "report): restore it from a backup", first);
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto failed;
	/* The check's pages are no working set: the idle server should not
	 * keep them (the kernel's page cache still has them). */
	sqlite3_db_release_memory(c->db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("store: integrity check of %s: ok in %lld ms",
	    c->store->path, (long long)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000));
	st = STATUS_OK;
	goto out;
failed:
	/* Damage bad enough to stop the check itself (a broken schema page). */
	if ((rc & 0xff) == SQLITE_CORRUPT) {
		log_error("store: %s: integrity check: %s", c->store->path,
		    sqlite3_errmsg(c->db));
		st = error_set(err, STATUS_CORRUPT,
		    "the database file is damaged (%s): restore it from a "
		    "backup", sqlite3_errstr(rc));
	} else
		st = conn_open_status(c, rc, "cannot check", err);
out:
	sqlite3_finalize(s);
	return st;
}

/* The first connection sets what persists in the file: WAL. */
static enum status
conn_setup_file(struct sqlite_conn *c, struct error *err)
{
	sqlite3_stmt	*s = NULL;
	const unsigned char *mode;
	enum status	 st = STATUS_IO;
	int64_t		 fk = 0;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1,
	    &s, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_step(s)) != SQLITE_ROW) {
		st = conn_open_status(c, rc, "cannot set the journal mode of",
		    err);
		goto out;
	}
	mode = sqlite3_column_text(s, 0);
	if (mode == NULL || strcmp((const char *)mode, "wal") != 0) {
		log_error("store: %s: journal mode is %s, not wal",
		    c->store->path, mode != NULL ? (const char *)mode : "?");
		st = error_set(err, STATUS_IO,
		    "the database cannot use write-ahead logging");
		goto out;
	}
	if ((rc = conn_query_int(c, "PRAGMA foreign_keys", &fk)) !=
	    SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot read", err);
		goto out;
	}
	if (fk != 1) {
		log_error("store: this SQLite does not enforce foreign keys");
		st = error_set(err, STATUS_INTERNAL,
		    "this SQLite build does not enforce foreign keys");
		goto out;
	}
	st = STATUS_OK;
out:
	sqlite3_finalize(s);
	return st;
}

/* Bring the schema up to date in one IMMEDIATE transaction. */
static enum status
conn_migrate(struct sqlite_conn *c, struct error *err)
{
	char		 sql[128];
	enum status	 st = STATUS_IO;
	int64_t		 version = 0;
	bool		 in_txn = false;
	int		 rc;

	if ((rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot lock", err);
		goto out;
	}
	in_txn = true;
	if ((st = conn_identity(c, &version, err)) != STATUS_OK)
		goto out;
	if (version == STORE_SQLITE_SCHEMA_VERSION) {
		st = STATUS_OK;
		goto out;
	}
	for (int64_t i = version; i < STORE_SQLITE_SCHEMA_VERSION; i++) {
		if ((rc = sqlite3_exec(c->db, store_sqlite_migrations[i], NULL,
		    NULL, NULL)) != SQLITE_OK) {
			log_error("store: migration %lld failed",
			    (long long)i + 1);
			st = conn_open_status(c, rc, "cannot migrate", err);
			goto out;
		}
	}
	/* Integers of this file only: nothing from outside reaches here. */
	snprintf(sql, sizeof(sql),
	    "PRAGMA application_id = %d; PRAGMA user_version = %d",
	    STORE_SQLITE_APPLICATION_ID, STORE_SQLITE_SCHEMA_VERSION);
	if ((rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		st = conn_open_status(c, rc, "cannot migrate", err);
		goto out;
	}
	in_txn = false;
	log_info("store: database schema migrated from %lld to %d",
	    (long long)version, STORE_SQLITE_SCHEMA_VERSION);
	st = STATUS_OK;
out:
	if (in_txn && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}

static enum status
store_sqlite_open(const struct store_config *cfg, void **handle,
    struct error *err)
{
	struct sqlite_store *ss = NULL;
	struct sqlite_conn *c = NULL;
	enum status	 st = STATUS_NO_MEMORY;
	int64_t		 version = 0;
	bool		 has_lock = false;

	if (cfg->path == NULL || cfg->path[0] == '\0') {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "the sqlite store needs a database path");
		goto out;
	}
	if (!sqlite3_threadsafe()) {
		st = error_set(err, STATUS_INTERNAL,
		    "this SQLite build is not thread-safe");
		goto out;
	}
	pthread_once(&library_once, library_configure);
	if ((ss = calloc(1, sizeof(*ss))) == NULL ||
	    (ss->path = strdup(cfg->path)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	ss->wal_index.fd = -1;
	if (pthread_mutex_init(&ss->lock, NULL) != 0) {
		st = error_set(err, STATUS_INTERNAL, "cannot create a mutex");
		goto out;
	}
	has_lock = true;
	if (pthread_mutex_init(&ss->writer_lock, NULL) != 0) {
		st = error_set(err, STATUS_INTERNAL, "cannot create a mutex");
		goto out;
	}
	if (pthread_cond_init(&ss->turn_free, NULL) != 0) {
		pthread_mutex_destroy(&ss->writer_lock);
		st = error_set(err, STATUS_INTERNAL,
		    "cannot create a condition variable");
		goto out;
	}
	if (pthread_cond_init(&ss->batch_done, NULL) != 0) {
		pthread_cond_destroy(&ss->turn_free);
		pthread_mutex_destroy(&ss->writer_lock);
		st = error_set(err, STATUS_INTERNAL,
		    "cannot create a condition variable");
		goto out;
	}
	ss->has_writer_lock = true;
	/*
	 * Every check that can refuse the file reads only, and runs before
	 * the first statement that writes (the journal mode, then the
	 * migrations): a refused start leaves the file as it was.  A new
	 * file (schema 0) holds nothing to check.
	 */
	if ((st = file_prepare(ss->path, err)) != STATUS_OK ||
	    (st = conn_open(ss, &c, err)) != STATUS_OK ||
	    (st = conn_identity(c, &version, err)) != STATUS_OK ||
	    (version > 0 && (st = conn_check_integrity(c, err)) != STATUS_OK) ||
	    (st = conn_setup_file(c, err)) != STATUS_OK ||
	    (st = conn_migrate(c, err)) != STATUS_OK)
		goto out;
	/* The check read every page into this connection's cache: requests
	 * need few of them, and an idle server should not hold the file. */
	sqlite3_db_release_memory(c->db);
	/* The connection that opened the file keeps the WAL-index open (it
	 * has read in WAL mode) and serves no transaction; the pool opens
	 * its own.  Without the mapping every read begins afresh: slower,
	 * never wrong. */
	ss->wal_keeper = c;
	c = NULL;
	if (!wal_index_watch_open(&ss->wal_index, ss->path))
		log_info("store: the WAL-index of %s cannot be mapped; read "
		    "transactions are not kept", ss->path);
	*handle = ss;
	ss = NULL;
	st = STATUS_OK;
out:
	conn_close(c);
	if (ss != NULL && has_lock) {
		store_sqlite_free(ss);
	} else if (ss != NULL) {
		free(ss->path);
		free(ss);
	}
	return st;
}

static void
store_sqlite_close(void *handle)
{
	store_sqlite_free(handle);
}

/* ---- transactions ---- */

static void
conn_rollback_open(struct sqlite_conn *c)
{
	sqlite3_stmt	*s;

	if (!sqlite3_get_autocommit(c->db) &&
	    conn_stmt(c, STMT_ROLLBACK, &s) == STATUS_OK)
		(void)stmt_done(c, s, SQLITE_OK, "rollback");
	c->is_reading = false;
}

/*
 * End the read transactions idle connections keep, so that a checkpoint
 * can copy and restart the whole WAL: a kept snapshot pins the frames
 * after it.  Idle connections are nobody's: under the pool's lock they
 * are ours to use.
 */
static void
pool_end_reads(struct sqlite_store *ss)
{
	pthread_mutex_lock(&ss->lock);
	for (struct sqlite_conn *c = ss->idle; c != NULL; c = c->next)
		if (c->is_reading)
			conn_rollback_open(c);
	pthread_mutex_unlock(&ss->lock);
}

/* Roll back whatever is still open and return the connection. */
static void
conn_end(struct sqlite_conn *c)
{
	conn_rollback_open(c);
	pool_give(c);
}

/* COMMIT, and end the transaction whatever the outcome. */
static enum status
conn_commit(struct sqlite_conn *c)
{
	struct timespec	 pause;
	sqlite3_stmt	*s;
	enum status	 st = STATUS_IO;
	int		 rc;

	if (sqlite3_get_autocommit(c->db)) {
		log_error("store: commit: the transaction was already rolled "
		    "back after an error");
		goto out;
	}
	if ((st = conn_stmt(c, STMT_COMMIT, &s)) != STATUS_OK)
		goto out;
	/*
	 * The busy handler already waited up to the timeout; a COMMIT that
	 * still meets SQLITE_BUSY leaves the transaction open, so try again
	 * a few times before giving up.
	 */
	for (int attempt = 0;; attempt++) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE) {
			st = STATUS_OK;
			break;
		}
		if ((rc & 0xff) != SQLITE_BUSY ||
		    attempt == STORE_SQLITE_COMMIT_RETRIES) {
			st = conn_status(c, rc, "commit");
			if (st == STATUS_EXISTS || st == STATUS_NOT_FOUND)
				st = STATUS_IO;
			break;
		}
		sqlite3_reset(s);
		pause.tv_sec = 0;
		pause.tv_nsec = 10L * 1000 * 1000 * (attempt + 1);
		nanosleep(&pause, NULL);
	}
	stmt_reset(s);
out:
	return st;
}

/*
 * Wait for the write turn, as long as SQLite's busy handler would have
 * waited: a thread that begins a write inside its own fails as it did
 * before the turn existed.  A waiter is counted in turn_waiting, which is
 * what keeps a batch open for it.
 */
static enum status
turn_take(struct sqlite_store *ss)
{
	struct timespec	 deadline;
	enum status	 st = STATUS_OK;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += STORE_SQLITE_BUSY_TIMEOUT_MS / 1000;
	pthread_mutex_lock(&ss->writer_lock);
	ss->turn_waiting++;
	while (ss->is_turn_taken) {
		if (pthread_cond_timedwait(&ss->turn_free, &ss->writer_lock,
		    &deadline) == ETIMEDOUT && ss->is_turn_taken) {
			log_error("store: no write turn after %d ms",
			    STORE_SQLITE_BUSY_TIMEOUT_MS);
			st = STATUS_IO;
			break;
		}
	}
	ss->turn_waiting--;
	if (st == STATUS_OK)
		ss->is_turn_taken = true;
	pthread_mutex_unlock(&ss->writer_lock);
	return st;
}

/* Hand the turn on; writer_lock held. */
static void
turn_give_locked(struct sqlite_store *ss)
{
	ss->is_turn_taken = false;
	pthread_cond_signal(&ss->turn_free);
}

/*
 * End the batch, by the holder of the turn: commit it (or roll it back
 * when it is broken or holds no write), tell every member its outcome,
 * hand the turn on.  self, when not NULL, is the caller's own write.
 */
static enum status
batch_finish(struct sqlite_store *ss, struct batch_member *self, bool is_ok)
{
	struct sqlite_conn *c = ss->batch;
	struct batch_member *m;
	enum status	 st = STATUS_IO;

	if (self != NULL) {
		self->next = ss->members;
		ss->members = self;
	}
	/* Only the turn holder touches members: no lock needed to read. */
	if (is_ok && ss->members != NULL)
		st = conn_commit(c);
	c->is_batch = false;
	conn_rollback_open(c);

	pthread_mutex_lock(&ss->writer_lock);
	for (m = ss->members; m != NULL; m = m->next) {
		m->st = st;
		m->is_done = true;
	}
	ss->members = NULL;
	ss->member_count = 0;
	ss->batch = NULL;
	turn_give_locked(ss);
	pthread_cond_broadcast(&ss->batch_done);
	pthread_mutex_unlock(&ss->writer_lock);

	/*
	 * Copy the WAL into the database file after the turn is handed on,
	 * so the next batch commits meanwhile; SQLite's automatic checkpoint
	 * would run inside COMMIT and hold every writer.  PASSIVE: it never
	 * waits for readers or writers, and SQLite syncs the WAL before and
	 * the database after (synchronous=FULL).  The connection is still
	 * ours: it goes back to the pool only afterwards.
	 */
	if (c->wal_pages >= STORE_SQLITE_CHECKPOINT_PAGES) {
		int rc;

		c->wal_pages = 0;
		pool_end_reads(ss);
		rc = sqlite3_wal_checkpoint_v2(c->db, "main",
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
			log_error("store: checkpoint: %s",
			    sqlite3_errmsg(c->db));
	}
	pool_give(c);
	return st;
}

/*
 * After a write left the batch consistent (its savepoint released, or
 * undone: is_member false), by the holder of the turn: leave the batch
 * open for a waiting writer, or commit it.  A member's outcome is known
 * only once the batch is committed.
 */
static enum status
batch_hand_on(struct sqlite_store *ss, bool is_member)
{
	struct batch_member self;

	memset(&self, 0, sizeof(self));
	pthread_mutex_lock(&ss->writer_lock);
	if (ss->turn_waiting > 0 &&
	    ss->member_count < STORE_SQLITE_BATCH_MAX) {
		/* Someone writes after us: the batch waits for them. */
		if (is_member) {
			self.next = ss->members;
			ss->members = &self;
			ss->member_count++;
		}
		turn_give_locked(ss);
		while (is_member && !self.is_done)
			pthread_cond_wait(&ss->batch_done, &ss->writer_lock);
		pthread_mutex_unlock(&ss->writer_lock);
		return is_member ? self.st : STATUS_OK;
	}
	pthread_mutex_unlock(&ss->writer_lock);
	return batch_finish(ss, is_member ? &self : NULL, true);
}

/*
 * End one write, by the holder of the turn.  keep: release its savepoint
 * into the batch (a commit) rather than undo it.  Leaves the batch open
 * for a waiting writer, or commits it.  Returns the write's outcome,
 * known only once the batch is committed.
 */
static enum status
batch_op_end(struct sqlite_conn *c, bool keep)
{
	struct sqlite_store *ss = c->store;
	sqlite3_stmt	*s;
	enum status	 st = STATUS_IO;

	/* SQLite rolled the whole transaction back: earlier writes too. */
	if (sqlite3_get_autocommit(c->db))
		return batch_finish(ss, NULL, false);
	if (keep) {
		if ((st = conn_stmt(c, STMT_BATCH_OP_RELEASE, &s)) ==
		    STATUS_OK)
			st = stmt_done(c, s, SQLITE_OK, "release");
		if (st != STATUS_OK) {
			if (st == STATUS_EXISTS || st == STATUS_NOT_FOUND)
				st = STATUS_IO;
			keep = false;
		}
	}
	if (!keep) {
		if (conn_stmt(c, STMT_BATCH_OP_UNDO, &s) != STATUS_OK ||
		    stmt_done(c, s, SQLITE_OK, "rollback to") != STATUS_OK ||
		    conn_stmt(c, STMT_BATCH_OP_RELEASE, &s) != STATUS_OK ||
		    stmt_done(c, s, SQLITE_OK, "release") != STATUS_OK ||
		    sqlite3_get_autocommit(c->db)) {
			/* The batch is in an unknown state: fail it all. */
			(void)batch_finish(ss, NULL, false);
			return st;
		}
	}
	if (sqlite3_get_autocommit(c->db))
		return batch_finish(ss, NULL, false);
	if (keep)
		return batch_hand_on(ss, true);
	(void)batch_hand_on(ss, false);
	return st;
}

/* Take the turn, open the batch if none is, and start a savepoint in it. */
static enum status
batch_op_begin(struct sqlite_store *ss, struct sqlite_conn **out)
{
	struct sqlite_conn *c = NULL;
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = turn_take(ss)) != STATUS_OK)
		return st;
	if (ss->batch == NULL) {
		if ((st = pool_take(ss, &c)) != STATUS_OK)
			goto fail;
		conn_rollback_open(c);		/* a kept read */
		if ((st = conn_stmt(c, STMT_BEGIN_WRITE, &s)) != STATUS_OK ||
		    (st = stmt_done(c, s, SQLITE_OK, "begin")) != STATUS_OK) {
			conn_end(c);
			goto fail;
		}
		c->is_batch = true;
		ss->batch = c;
	}
	c = ss->batch;
	if ((st = conn_stmt(c, STMT_BATCH_OP, &s)) != STATUS_OK ||
	    (st = stmt_done(c, s, SQLITE_OK, "savepoint")) != STATUS_OK) {
		/* No savepoint of ours to undo: end the batch's turn. */
		if (sqlite3_get_autocommit(c->db))
			(void)batch_finish(ss, NULL, false);
		else
			(void)batch_hand_on(ss, false);
		return st;
	}
	*out = c;
	return STATUS_OK;
fail:
	pthread_mutex_lock(&ss->writer_lock);
	turn_give_locked(ss);
	pthread_mutex_unlock(&ss->writer_lock);
	return st;
}

static enum status
store_sqlite_begin(void *handle, bool write, void **txn)
{
	struct sqlite_store *ss = handle;
	struct sqlite_conn *c = NULL;
	struct wal_index_mark mark;
	sqlite3_stmt	*s;
	bool		 has_mark;
	enum status	 st;

	memset(&mark, 0, sizeof(mark));

	if (write) {
		if ((st = batch_op_begin(handle, &c)) == STATUS_OK)
			*txn = c;
		return st;
	}
	if ((st = pool_take(handle, &c)) != STATUS_OK)
		goto out;
	/*
	 * A read transaction kept open while nobody (no connection of any
	 * process) committed still sees the latest committed state: reuse
	 * it rather than pay BEGIN, SQLite's read locks (two fcntl(2)) and
	 * ROLLBACK on every read.  Its snapshot was taken at its first read,
	 * after read_mark was read, so it is that state exactly.
	 */
	has_mark = wal_index_mark(&ss->wal_index, &mark);
	if (c->is_reading && has_mark &&
	    wal_index_mark_equal(&c->read_mark, &mark) &&
	    !sqlite3_get_autocommit(c->db)) {
		*txn = c;
		return STATUS_OK;
	}
	conn_rollback_open(c);
	if ((st = conn_stmt(c, STMT_BEGIN_READ, &s)) != STATUS_OK ||
	    (st = stmt_done(c, s, SQLITE_OK, "begin")) != STATUS_OK)
		goto out;
	c->is_reading = has_mark;	/* without one, never kept */
	c->read_mark = mark;
	*txn = c;
	c = NULL;
out:
	if (c != NULL)
		pool_give(c);
	return st;
}

static enum status
store_sqlite_commit(void *txn)
{
	struct sqlite_conn *c = txn;
	enum status	 st;

	if (c->is_batch)
		return batch_op_end(c, true);
	st = conn_commit(c);
	conn_end(c);
	return st;
}

/* A read transaction ends by going back to the pool still open, for
 * store_sqlite_begin to reuse while nothing is committed. */
static void
read_end(struct sqlite_conn *c)
{
	if (c->is_reading && !sqlite3_get_autocommit(c->db))
		pool_give(c);
	else
		conn_end(c);
}

static void
store_sqlite_rollback(void *txn)
{
	struct sqlite_conn *c = txn;

	if (c->is_batch)
		(void)batch_op_end(c, false);
	else
		read_end(c);
}

/* ---- meta ---- */

static enum status
store_sqlite_meta_get(void *txn, const char *key, unsigned char **value,
    size_t *value_len)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	unsigned char	*v = NULL;
	size_t		 len = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_META_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key, SQLITE_OK);
	if ((st = stmt_row(c, s, rc, "meta get")) != STATUS_OK ||
	    (st = column_blob(s, 0, &v, &len)) != STATUS_OK)
		goto out;
	*value = v;
	*value_len = len;
	v = NULL;
out:
	stmt_reset(s);
	free(v);
	return st;
}

static enum status
store_sqlite_meta_put(void *txn, const char *key, const unsigned char *value,
    size_t value_len)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_META_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, key, SQLITE_OK);
	rc = bind_blob(s, 2, value, value_len, rc);
	return stmt_done(c, s, rc, "meta put");
}

/* ---- accounts ---- */

static enum status
store_sqlite_account_put(void *txn, const char *account_id,
    int64_t created_at)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ACCOUNT_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_int64(s, 2, created_at, rc);
	return stmt_done(c, s, rc, "account put");
}

static enum status
store_sqlite_account_exists(void *txn, const char *account_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ACCOUNT_EXISTS, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	st = stmt_row(c, s, rc, "account exists");
out:
	stmt_reset(s);
	return st;
}

/* ---- access keys ---- */

static enum status
store_sqlite_access_key_put(void *txn, const struct access_key_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ACCESS_KEY_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->access_key_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->account_id, rc);
	rc = bind_text(s, 3, rec->principal_arn, rc);
	rc = bind_text(s, 4, rec->user_name, rc);
	rc = bind_text(s, 5, rec->user_id, rc);
	rc = bind_blob(s, 6, rec->wrapped_secret, rec->wrapped_secret_len, rc);
	rc = bind_int64(s, 7, rec->is_active, rc);
	rc = bind_int64(s, 8, rec->created_at, rc);
	return stmt_done(c, s, rc, "access key put");
}

static enum status
store_sqlite_access_key_get(void *txn, const char *access_key_id,
    struct access_key_record *out)
{
	struct sqlite_conn *c = txn;
	struct access_key_record rec;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	memset(&rec, 0, sizeof(rec));
	if ((st = txn_stmt(c, STMT_ACCESS_KEY_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, access_key_id, SQLITE_OK);
	if ((st = stmt_row(c, s, rc, "access key get")) != STATUS_OK ||
	    (st = column_text(s, 0, &rec.access_key_id)) != STATUS_OK ||
	    (st = column_text(s, 1, &rec.account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &rec.principal_arn)) != STATUS_OK ||
	    (st = column_text(s, 3, &rec.user_name)) != STATUS_OK ||
	    (st = column_text(s, 4, &rec.user_id)) != STATUS_OK ||
	    (st = column_blob(s, 5, &rec.wrapped_secret,
	    &rec.wrapped_secret_len)) != STATUS_OK)
		goto out;
	rec.is_active = sqlite3_column_int64(s, 6) != 0;
	rec.created_at = sqlite3_column_int64(s, 7);
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	stmt_reset(s);
	access_key_record_cleanup(&rec);
	return st;
}

/* ---- KMS keys and aliases ---- */

static enum status
store_sqlite_kms_alias_put(void *txn, const char *account_id,
    const char *region, const char *alias_name, const char *key_id,
    int64_t created_at)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_ALIAS_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, alias_name, rc);
	rc = bind_text(s, 4, key_id, rc);
	rc = bind_int64(s, 5, created_at, rc);
	return stmt_done(c, s, rc, "kms alias put");
}

static enum status
store_sqlite_kms_alias_get(void *txn, const char *account_id,
    const char *region, const char *alias_name, char **key_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	char		*id = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_ALIAS_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, alias_name, rc);
	if ((st = stmt_row(c, s, rc, "kms alias get")) != STATUS_OK ||
	    (st = column_text(s, 0, &id)) != STATUS_OK)
		goto out;
	*key_id = id;
	id = NULL;
out:
	stmt_reset(s);
	free(id);
	return st;
}

/* ---- KMS keys: versions, listing, aliases, tags (migration 3) ---- */

/* Read a row selected with KMS_KEY_COLUMNS. */
static enum status
kms_key_from_row(sqlite3_stmt *s, struct kms_key_record *out)
{
	struct kms_key_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = column_text(s, 0, &rec.key_id)) != STATUS_OK ||
	    (st = column_text(s, 1, &rec.account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &rec.region)) != STATUS_OK ||
	    (st = column_text(s, 3, &rec.arn)) != STATUS_OK ||
	    (st = column_text(s, 4, &rec.description)) != STATUS_OK ||
	    (st = column_text(s, 5, &rec.key_manager)) != STATUS_OK ||
	    (st = column_text(s, 6, &rec.state)) != STATUS_OK ||
	    (st = column_text(s, 7, &rec.policy)) != STATUS_OK)
		goto out;
	rec.created_at = sqlite3_column_int64(s, 8);
	rec.deletion_date = sqlite3_column_int64(s, 9);
	rec.pending_window_days = sqlite3_column_int64(s, 10);
	rec.rotation_period_days = sqlite3_column_int64(s, 11);
	rec.next_rotation_at = sqlite3_column_int64(s, 12);
	rec.current_version = sqlite3_column_int64(s, 13);
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	kms_key_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_kms_key_put(void *txn, const struct kms_key_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_KEY_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->key_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->account_id, rc);
	rc = bind_text(s, 3, rec->region, rc);
	rc = bind_text(s, 4, rec->arn, rc);
	rc = bind_text(s, 5, rec->description, rc);
	rc = bind_text(s, 6, rec->key_manager, rc);
	rc = bind_text(s, 7, rec->state, rc);
	rc = bind_int64(s, 8, rec->created_at, rc);
	rc = bind_text(s, 9, rec->policy, rc);
	rc = bind_int64(s, 10, rec->deletion_date, rc);
	rc = bind_int64(s, 11, rec->pending_window_days, rc);
	rc = bind_int64(s, 12, rec->rotation_period_days, rc);
	rc = bind_int64(s, 13, rec->next_rotation_at, rc);
	rc = bind_int64(s, 14, rec->current_version, rc);
	return stmt_done(c, s, rc, "kms key put");
}

static enum status
store_sqlite_kms_key_get(void *txn, const char *account_id,
    const char *region, const char *key_id, struct kms_key_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_KEY_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	rc = bind_text(s, 2, account_id, rc);
	rc = bind_text(s, 3, region, rc);
	if ((st = stmt_row(c, s, rc, "kms key get")) != STATUS_OK)
		goto out;
	st = kms_key_from_row(s, out);
out:
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_kms_key_update(void *txn, const struct kms_key_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_KEY_UPDATE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->key_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->description, rc);
	rc = bind_text(s, 3, rec->state, rc);
	rc = bind_text(s, 4, rec->policy, rc);
	rc = bind_int64(s, 5, rec->deletion_date, rc);
	rc = bind_int64(s, 6, rec->pending_window_days, rc);
	rc = bind_int64(s, 7, rec->rotation_period_days, rc);
	rc = bind_int64(s, 8, rec->next_rotation_at, rc);
	rc = bind_int64(s, 9, rec->current_version, rc);
	if ((st = stmt_done(c, s, rc, "kms key update")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_kms_key_delete(void *txn, const char *key_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = savepoint_begin(c)) != STATUS_OK)
		return st;
	if ((st = txn_stmt(c, STMT_KMS_KEY_ALIASES_DELETE, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "kms key aliases delete")) != STATUS_OK)
		goto out;
	if ((st = txn_stmt(c, STMT_KMS_KEY_DELETE, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "kms key delete")) != STATUS_OK)
		goto out;
	if (sqlite3_changes(c->db) == 0)
		st = STATUS_NOT_FOUND;
out:
	return savepoint_end(c, st);
}

/* Step s to the end, collecting KMS key rows. */
static enum status
kms_key_rows_collect(struct sqlite_conn *c, sqlite3_stmt *s, int rc,
    struct kms_key_record **out, size_t *count)
{
	struct kms_key_record *recs = NULL, *grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;

	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = kms_key_from_row(s, &recs[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "kms key list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	kms_key_records_free(recs, n);
	return st;
}

static int64_t
limit_bind_value(size_t limit)
{
	return limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
}

static enum status
store_sqlite_kms_key_list(void *txn, const char *account_id,
    const char *region, const char *after_key_id, size_t limit,
    struct kms_key_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_KEY_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, after_key_id != NULL ? after_key_id : "", rc);
	rc = bind_int64(s, 4, limit_bind_value(limit), rc);
	return kms_key_rows_collect(c, s, rc, out, count);
}

static enum status
store_sqlite_kms_key_list_due(void *txn, int64_t now_ms, size_t limit,
    struct kms_key_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_KEY_LIST_DUE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, now_ms, SQLITE_OK);
	rc = bind_int64(s, 2, limit_bind_value(limit), rc);
	return kms_key_rows_collect(c, s, rc, out, count);
}

static enum status
kms_key_version_from_row(sqlite3_stmt *s, struct kms_key_version_record *out)
{
	struct kms_key_version_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = column_text(s, 0, &rec.key_id)) != STATUS_OK)
		goto out;
	rec.version = sqlite3_column_int64(s, 1);
	if ((st = column_blob(s, 2, &rec.wrapped_material,
	    &rec.wrapped_material_len)) != STATUS_OK)
		goto out;
	rec.created_at = sqlite3_column_int64(s, 3);
	if ((st = column_text(s, 4, &rec.rotation_type)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	kms_key_version_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_kms_key_version_put(void *txn,
    const struct kms_key_version_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_VERSION_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->key_id, SQLITE_OK);
	rc = bind_int64(s, 2, rec->version, rc);
	rc = bind_blob(s, 3, rec->wrapped_material, rec->wrapped_material_len,
	    rc);
	rc = bind_int64(s, 4, rec->created_at, rc);
	rc = bind_text(s, 5, rec->rotation_type, rc);
	return stmt_done(c, s, rc, "kms key version put");
}

static enum status
store_sqlite_kms_key_version_get(void *txn, const char *key_id,
    int64_t version, struct kms_key_version_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_VERSION_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	rc = bind_int64(s, 2, version, rc);
	if ((st = stmt_row(c, s, rc, "kms key version get")) != STATUS_OK)
		goto out;
	st = kms_key_version_from_row(s, out);
out:
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_kms_key_version_list(void *txn, const char *key_id,
    struct kms_key_version_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct kms_key_version_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_VERSION_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = kms_key_version_from_row(s, &recs[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "kms key version list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	kms_key_version_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_kms_alias_update(void *txn, const char *account_id,
    const char *region, const char *alias_name, const char *key_id,
    int64_t now_ms)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_ALIAS_UPDATE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, alias_name, rc);
	rc = bind_text(s, 4, key_id, rc);
	rc = bind_int64(s, 5, now_ms, rc);
	if ((st = stmt_done(c, s, rc, "kms alias update")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_kms_alias_delete(void *txn, const char *account_id,
    const char *region, const char *alias_name)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_ALIAS_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, alias_name, rc);
	if ((st = stmt_done(c, s, rc, "kms alias delete")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_kms_alias_list(void *txn, const char *account_id,
    const char *region, const char *key_id, const char *after_alias,
    size_t limit, struct kms_alias_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct kms_alias_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_KMS_ALIAS_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	rc = bind_text(s, 3, key_id, rc);
	rc = bind_text(s, 4, after_alias != NULL ? after_alias : "", rc);
	rc = bind_int64(s, 5, limit_bind_value(limit), rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		memset(&recs[n], 0, sizeof(recs[n]));
		n++;
		if ((st = column_text(s, 0, &recs[n - 1].alias_name)) !=
		    STATUS_OK ||
		    (st = column_text(s, 1, &recs[n - 1].key_id)) != STATUS_OK)
			goto out;
		recs[n - 1].created_at = sqlite3_column_int64(s, 2);
		recs[n - 1].updated_at = sqlite3_column_int64(s, 3);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "kms alias list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	kms_alias_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_kms_tags_put(void *txn, const char *key_id,
    const struct tag *tags, size_t count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = savepoint_begin(c)) != STATUS_OK)
		return st;
	if ((st = txn_stmt(c, STMT_KMS_TAGS_CLEAR, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, key_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "kms tags clear")) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		if ((st = txn_stmt(c, STMT_KMS_TAG_INSERT, &s)) != STATUS_OK)
			goto out;
		rc = bind_text(s, 1, key_id, SQLITE_OK);
		rc = bind_text(s, 2, tags[i].key, rc);
		rc = bind_text(s, 3, tags[i].value, rc);
		if ((st = stmt_done(c, s, rc, "kms tag insert")) != STATUS_OK)
			goto out;
	}
out:
	return savepoint_end(c, st);
}

/* Read the (key, value) rows of a bound statement into a tag array. */
static enum status
tags_collect(struct sqlite_conn *c, sqlite3_stmt *s, int rc, const char *what,
    struct tag **out, size_t *count)
{
	struct tag	*tags = NULL, *grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;

	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(tags, cap,
			    sizeof(*tags))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			tags = grown;
		}
		memset(&tags[n], 0, sizeof(tags[n]));
		n++;
		if ((st = column_text(s, 0, &tags[n - 1].key)) != STATUS_OK ||
		    (st = column_text(s, 1, &tags[n - 1].value)) != STATUS_OK)
			goto out;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, what);
		goto out;
	}
	*out = tags;
	*count = n;
	tags = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	tags_free(tags, n);
	return st;
}

static enum status
store_sqlite_kms_tags_get(void *txn, const char *key_id, struct tag **out,
    size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;

	if ((st = txn_stmt(c, STMT_KMS_TAGS_GET, &s)) != STATUS_OK)
		return st;
	return tags_collect(c, s, bind_text(s, 1, key_id, SQLITE_OK),
	    "kms tags get", out, count);
}

/* ---- rows wrapped by the root key ---- */

static enum status
store_sqlite_root_wrapped_list(void *txn, enum root_wrapped_kind kind,
    const char *after_id, int64_t after_version, size_t limit,
    struct root_wrapped_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct root_wrapped_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, kind == ROOT_WRAPPED_KMS_MATERIAL ?
	    STMT_ROOT_KMS_LIST : kind == ROOT_WRAPPED_ACCESS_KEY ?
	    STMT_ROOT_ACCESS_LIST : STMT_ROOT_SESSION_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, after_id != NULL ? after_id : "", SQLITE_OK);
	rc = bind_int64(s, 2, after_version, rc);
	rc = bind_int64(s, 3, limit_bind_value(limit), rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		memset(&recs[n], 0, sizeof(recs[n]));
		n++;
		recs[n - 1].kind = kind;
		recs[n - 1].version = sqlite3_column_int64(s, 1);
		if ((st = column_text(s, 0, &recs[n - 1].id)) != STATUS_OK ||
		    (st = column_text(s, 2, &recs[n - 1].arn)) != STATUS_OK ||
		    (st = column_blob(s, 3, &recs[n - 1].wrapped,
		    &recs[n - 1].wrapped_len)) != STATUS_OK)
			goto out;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "root wrapped list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	root_wrapped_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_root_wrapped_update(void *txn,
    const struct root_wrapped_record *rec, const unsigned char *old_wrapped,
    size_t old_wrapped_len)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, rec->kind == ROOT_WRAPPED_KMS_MATERIAL ?
	    STMT_ROOT_KMS_UPDATE : rec->kind == ROOT_WRAPPED_ACCESS_KEY ?
	    STMT_ROOT_ACCESS_UPDATE : STMT_ROOT_SESSION_UPDATE, &s)) !=
	    STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->id, SQLITE_OK);
	rc = bind_int64(s, 2, rec->version, rc);
	rc = bind_blob(s, 3, rec->wrapped, rec->wrapped_len, rc);
	rc = bind_blob(s, 4, old_wrapped, old_wrapped_len, rc);
	if ((st = stmt_done(c, s, rc, "root wrapped update")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_meta_delete(void *txn, const char *key)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_META_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, key, SQLITE_OK);
	return stmt_done(c, s, rc, "meta delete");
}

static enum status
store_sqlite_version_rewrap(void *txn, int64_t secret_id,
    const char *version_id, const char *kms_key_arn,
    const unsigned char *wrapped_key, size_t wrapped_key_len)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_VERSION_REWRAP, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	rc = bind_text(s, 3, kms_key_arn, rc);
	rc = bind_blob(s, 4, wrapped_key, wrapped_key_len, rc);
	if ((st = stmt_done(c, s, rc, "version rewrap")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

/* ---- secrets ---- */

/* Read a row selected with SECRET_COLUMNS. */
static enum status
secret_from_row(sqlite3_stmt *s, struct secret_record *out)
{
	struct secret_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	rec.id = sqlite3_column_int64(s, 0);
	if ((st = column_text(s, 1, &rec.account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &rec.region)) != STATUS_OK ||
	    (st = column_text(s, 3, &rec.name)) != STATUS_OK ||
	    (st = column_text(s, 4, &rec.arn)) != STATUS_OK ||
	    (st = column_text(s, 5, &rec.description)) != STATUS_OK ||
	    (st = column_text(s, 6, &rec.kms_key_id)) != STATUS_OK)
		goto out;
	rec.created_at = sqlite3_column_int64(s, 7);
	rec.last_changed_at = sqlite3_column_int64(s, 8);
	rec.last_accessed_at = sqlite3_column_int64(s, 9);
	rec.deleted_at = sqlite3_column_int64(s, 10);
	rec.deletion_date = sqlite3_column_int64(s, 11);
	if ((st = column_text(s, 12, &rec.primary_arn)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	secret_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_secret_insert(void *txn, struct secret_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_INSERT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->account_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->region, rc);
	rc = bind_text(s, 3, rec->name, rc);
	rc = bind_text(s, 4, rec->arn, rc);
	rc = bind_text(s, 5, rec->description, rc);
	rc = bind_text(s, 6, rec->kms_key_id, rc);
	rc = bind_int64(s, 7, rec->created_at, rc);
	rc = bind_int64(s, 8, rec->last_changed_at, rc);
	rc = bind_int64(s, 9, rec->last_accessed_at, rc);
	rc = bind_int64(s, 10, rec->deleted_at, rc);
	rc = bind_int64(s, 11, rec->deletion_date, rc);
	rc = bind_text(s, 12, rec->primary_arn, rc);
	if ((st = stmt_done(c, s, rc, "secret insert")) != STATUS_OK)
		return st;
	rec->id = sqlite3_last_insert_rowid(c->db);
	return STATUS_OK;
}

static enum status
secret_get(struct sqlite_conn *c, enum stmt_id id, const char *a,
    const char *b, const char *name, struct secret_record *out)
{
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, id, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, a, SQLITE_OK);
	if (b != NULL) {
		rc = bind_text(s, 2, b, rc);
		rc = bind_text(s, 3, name, rc);
	}
	if ((st = stmt_row(c, s, rc, "secret get")) != STATUS_OK)
		goto out;
	st = secret_from_row(s, out);
out:
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_secret_get_by_name(void *txn, const char *account_id,
    const char *region, const char *name, struct secret_record *out)
{
	return secret_get(txn, STMT_SECRET_GET_BY_NAME, account_id, region,
	    name, out);
}

static enum status
store_sqlite_secret_get_by_arn(void *txn, const char *arn,
    struct secret_record *out)
{
	return secret_get(txn, STMT_SECRET_GET_BY_ARN, arn, NULL, NULL, out);
}

static enum status
store_sqlite_secret_update(void *txn, const struct secret_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_UPDATE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, rec->id, SQLITE_OK);
	rc = bind_text(s, 2, rec->description, rc);
	rc = bind_text(s, 3, rec->kms_key_id, rc);
	rc = bind_int64(s, 4, rec->last_changed_at, rc);
	rc = bind_int64(s, 5, rec->last_accessed_at, rc);
	rc = bind_int64(s, 6, rec->deleted_at, rc);
	rc = bind_int64(s, 7, rec->deletion_date, rc);
	rc = bind_text(s, 8, rec->primary_arn, rc);
	if ((st = stmt_done(c, s, rc, "secret update")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_secret_delete(void *txn, int64_t secret_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "secret delete")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

/* Step s to the end, collecting the secret rows. */
static enum status
secret_rows_collect(struct sqlite_conn *c, sqlite3_stmt *s, int rc,
    struct secret_record **out, size_t *count)
{
	struct secret_record *recs = NULL, *grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;

	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = secret_from_row(s, &recs[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "secret list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	secret_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_secret_list(void *txn, const struct store_list_query *q,
    struct secret_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	int64_t		 limit;
	enum status	 st;
	int		 rc;

	static const enum stmt_id by_sort[][2] = {
		[STORE_SORT_CREATED] = { STMT_SECRET_LIST, STMT_SECRET_LIST_DESC },
		[STORE_SORT_NAME] = { STMT_SECRET_LIST_NAME,
		    STMT_SECRET_LIST_NAME_DESC },
		[STORE_SORT_CHANGED] = { STMT_SECRET_LIST_CHANGED,
		    STMT_SECRET_LIST_CHANGED_DESC },
		[STORE_SORT_ACCESSED] = { STMT_SECRET_LIST_ACCESSED,
		    STMT_SECRET_LIST_ACCESSED_DESC },
	};

	limit = q->limit > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)q->limit;
	if ((unsigned)q->sort_by >= sizeof(by_sort) / sizeof(by_sort[0]))
		return STATUS_INTERNAL;
	if ((st = txn_stmt(c, by_sort[q->sort_by][q->is_descending ? 1 : 0],
	    &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, q->account_id, SQLITE_OK);
	rc = bind_text(s, 2, q->region, rc);
	if (q->sort_by == STORE_SORT_CREATED)
		rc = bind_int64(s, 3, q->is_descending && q->after_id == 0 ?
		    INT64_MAX : q->after_id, rc);
	else
		rc = bind_int64(s, 3, q->after_id, rc);
	rc = bind_int64(s, 4, q->include_deleted, rc);
	rc = bind_int64(s, 5, limit, rc);
	if (q->sort_by == STORE_SORT_NAME)
		rc = bind_text(s, 6, q->after_name != NULL ? q->after_name : "",
		    rc);
	else if (q->sort_by != STORE_SORT_CREATED)
		rc = bind_int64(s, 6, q->after_value, rc);
	if (q->sort_by != STORE_SORT_CREATED)
		rc = bind_int64(s, 7, q->after_id == 0, rc);
	return secret_rows_collect(c, s, rc, out, count);
}

static enum status
store_sqlite_secret_counts(void *txn, store_count_fn fn, void *arg)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_COUNTS, &s)) != STATUS_OK)
		return st;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(arg, (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int64(s, 1));
	st = rc == SQLITE_DONE ? STATUS_OK : conn_status(c, rc, "secret counts");
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_secret_list_due(void *txn, int64_t now_ms, size_t limit,
    struct secret_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_LIST_DUE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, now_ms, SQLITE_OK);
	rc = bind_int64(s, 2, limit > (size_t)INT64_MAX ? INT64_MAX :
	    (int64_t)limit, rc);
	return secret_rows_collect(c, s, rc, out, count);
}

/* ---- resource policies of secrets ---- */

static enum status
store_sqlite_secret_policy_put(void *txn, int64_t secret_id,
    const char *policy, int64_t now_ms)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_POLICY_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, policy, rc);
	rc = bind_int64(s, 3, now_ms, rc);
	return stmt_done(c, s, rc, "secret policy put");
}

static enum status
store_sqlite_secret_policy_get(void *txn, int64_t secret_id, char **policy)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_POLICY_GET, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	if ((st = stmt_row(c, s, rc, "secret policy get")) == STATUS_OK)
		st = column_text(s, 0, policy);
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_secret_policy_delete(void *txn, int64_t secret_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_SECRET_POLICY_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	return stmt_done(c, s, rc, "secret policy delete");
}

/* ---- replicas of a primary secret ---- */

static enum status
store_sqlite_replica_put(void *txn, const struct replica_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_REPLICA_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, rec->secret_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->region, rc);
	rc = bind_text(s, 3, rec->kms_key_id, rc);
	rc = bind_text(s, 4, rec->status, rc);
	rc = bind_text(s, 5, rec->status_message, rc);
	rc = bind_int64(s, 6, rec->created_at, rc);
	return stmt_done(c, s, rc, "replica put");
}

static enum status
store_sqlite_replica_list(void *txn, int64_t secret_id,
    struct replica_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct replica_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_REPLICA_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		memset(&recs[n], 0, sizeof(recs[n]));
		recs[n].secret_id = secret_id;
		n++;
		if ((st = column_text(s, 0, &recs[n - 1].region)) != STATUS_OK ||
		    (st = column_text(s, 1, &recs[n - 1].kms_key_id)) !=
		    STATUS_OK ||
		    (st = column_text(s, 2, &recs[n - 1].status)) != STATUS_OK ||
		    (st = column_text(s, 3, &recs[n - 1].status_message)) !=
		    STATUS_OK)
			goto out;
		recs[n - 1].created_at = sqlite3_column_int64(s, 4);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "replica list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	replica_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_replica_delete(void *txn, int64_t secret_id, const char *region)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_REPLICA_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, region, rc);
	if ((st = stmt_done(c, s, rc, "replica delete")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

/* ---- tags ---- */

static enum status
store_sqlite_tags_put(void *txn, int64_t secret_id, const struct tag *tags,
    size_t count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = savepoint_begin(c)) != STATUS_OK)
		return st;
	if ((st = txn_stmt(c, STMT_TAGS_CLEAR, &s)) != STATUS_OK)
		goto out;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "tags clear")) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		if ((st = txn_stmt(c, STMT_TAG_INSERT, &s)) != STATUS_OK)
			goto out;
		rc = bind_int64(s, 1, secret_id, SQLITE_OK);
		rc = bind_text(s, 2, tags[i].key, rc);
		rc = bind_text(s, 3, tags[i].value, rc);
		if ((st = stmt_done(c, s, rc, "tag insert")) != STATUS_OK)
			goto out;
	}
out:
	return savepoint_end(c, st);
}

static enum status
store_sqlite_tags_get(void *txn, int64_t secret_id, struct tag **out,
    size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;

	if ((st = txn_stmt(c, STMT_TAGS_GET, &s)) != STATUS_OK)
		return st;
	return tags_collect(c, s, bind_int64(s, 1, secret_id, SQLITE_OK),
	    "tags get", out, count);
}

/* ---- versions and staging labels ---- */

static enum status
stage_put(struct sqlite_conn *c, int64_t secret_id, const char *stage,
    const char *version_id)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_STAGE_MOVE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, stage, rc);
	rc = bind_text(s, 3, version_id, rc);
	return stmt_done(c, s, rc, "stage move");
}

/* The labels on one version, sorted. */
static enum status
stages_read(struct sqlite_conn *c, int64_t secret_id, const char *version_id,
    char ***out, size_t *count)
{
	sqlite3_stmt	*s = NULL;
	char		**stages = NULL, **grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_VERSION_STAGES, &s)) != STATUS_OK)
		goto out;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((grown = reallocarray(stages, cap,
			    sizeof(*stages))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			stages = grown;
		}
		if ((st = column_text(s, 0, &stages[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "version stages");
		goto out;
	}
	*out = stages;
	*count = n;
	stages = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	for (size_t i = 0; i < n; i++)
		free(stages[i]);
	free(stages);
	return st;
}

/* Read a row selected with VERSION_COLUMNS; stages are not read. */
static enum status
version_from_row(sqlite3_stmt *s, struct version_record *out)
{
	struct version_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	rec.secret_id = sqlite3_column_int64(s, 0);
	if ((st = column_text(s, 1, &rec.version_id)) != STATUS_OK)
		goto out;
	rec.created_at = sqlite3_column_int64(s, 2);
	rec.last_accessed_at = sqlite3_column_int64(s, 3);
	rec.is_binary = sqlite3_column_int64(s, 4) != 0;
	if ((st = column_text(s, 5, &rec.kms_key_arn)) != STATUS_OK ||
	    (st = column_blob(s, 6, &rec.ciphertext,
	    &rec.ciphertext_len)) != STATUS_OK ||
	    (st = column_blob(s, 7, &rec.wrapped_key,
	    &rec.wrapped_key_len)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	version_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_version_insert(void *txn, const struct version_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = savepoint_begin(c)) != STATUS_OK)
		return st;
	if ((st = txn_stmt(c, STMT_VERSION_INSERT, &s)) != STATUS_OK)
		goto out;
	rc = bind_int64(s, 1, rec->secret_id, SQLITE_OK);
	rc = bind_text(s, 2, rec->version_id, rc);
	rc = bind_int64(s, 3, rec->created_at, rc);
	rc = bind_int64(s, 4, rec->last_accessed_at, rc);
	rc = bind_int64(s, 5, rec->is_binary, rc);
	rc = bind_text(s, 6, rec->kms_key_arn, rc);
	rc = bind_blob(s, 7, rec->ciphertext, rec->ciphertext_len, rc);
	rc = bind_blob(s, 8, rec->wrapped_key, rec->wrapped_key_len, rc);
	if ((st = stmt_done(c, s, rc, "version insert")) != STATUS_OK)
		goto out;
	for (size_t i = 0; i < rec->stage_count; i++) {
		if ((st = stage_put(c, rec->secret_id, rec->stages[i],
		    rec->version_id)) != STATUS_OK)
			goto out;
	}
out:
	return savepoint_end(c, st);
}

/* Finish a get: the row s stepped to, then its labels. */
static enum status
version_fetch(struct sqlite_conn *c, sqlite3_stmt *s, int rc,
    struct version_record *out)
{
	struct version_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = stmt_row(c, s, rc, "version get")) != STATUS_OK ||
	    (st = version_from_row(s, &rec)) != STATUS_OK)
		goto out;
	stmt_reset(s);
	if ((st = stages_read(c, rec.secret_id, rec.version_id, &rec.stages,
	    &rec.stage_count)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	stmt_reset(s);
	version_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_version_get(void *txn, int64_t secret_id, const char *version_id,
    bool with_value, struct version_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_VERSION_GET, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	rc = bind_int64(s, 3, with_value, rc);
	return version_fetch(c, s, rc, out);
}

static enum status
store_sqlite_version_get_by_stage(void *txn, int64_t secret_id,
    const char *stage, bool with_value, struct version_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_VERSION_GET_BY_STAGE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, stage, rc);
	rc = bind_int64(s, 3, with_value, rc);
	return version_fetch(c, s, rc, out);
}

/* Run a version listing whose parameters are bound (rc: the binders'
 * outcome), then read each version's stages. */
static enum status
versions_collect(struct sqlite_conn *c, sqlite3_stmt *s, int rc,
    int64_t secret_id, struct version_record **out, size_t *count)
{
	struct version_record *recs = NULL, *grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;

	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = version_from_row(s, &recs[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "version list");
		goto out;
	}
	stmt_reset(s);
	for (size_t i = 0; i < n; i++) {
		if ((st = stages_read(c, secret_id, recs[i].version_id,
		    &recs[i].stages, &recs[i].stage_count)) != STATUS_OK)
			goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	version_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_version_list(void *txn, int64_t secret_id,
    struct version_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = txn_stmt(c, STMT_VERSION_LIST, &s)) != STATUS_OK)
		return st;
	return versions_collect(c, s, bind_int64(s, 1, secret_id, SQLITE_OK),
	    secret_id, out, count);
}

static enum status
store_sqlite_version_list_prunable(void *txn, int64_t secret_id, size_t keep,
    int64_t created_at_most, struct version_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if (keep > INT64_MAX)
		return STATUS_INTERNAL;
	if ((st = txn_stmt(c, STMT_VERSION_LIST_PRUNABLE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_int64(s, 2, (int64_t)keep, rc);
	rc = bind_int64(s, 3, created_at_most, rc);
	return versions_collect(c, s, rc, secret_id, out, count);
}

static enum status
store_sqlite_version_delete(void *txn, int64_t secret_id,
    const char *version_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_VERSION_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	if ((st = stmt_done(c, s, rc, "version delete")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_stage_move(void *txn, int64_t secret_id, const char *stage,
    const char *version_id)
{
	return stage_put(txn, secret_id, stage, version_id);
}

static enum status
store_sqlite_stage_remove(void *txn, int64_t secret_id, const char *stage,
    const char *version_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_STAGE_REMOVE, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	rc = bind_text(s, 2, stage, rc);
	rc = bind_text(s, 3, version_id, rc);
	if ((st = stmt_done(c, s, rc, "stage remove")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

/* ---- rotation of secrets ---- */

static enum status
rotation_from_row(sqlite3_stmt *s, struct rotation_record *out)
{
	struct rotation_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	rec.secret_id = sqlite3_column_int64(s, 0);
	rec.is_enabled = sqlite3_column_int64(s, 1) != 0;
	if ((st = column_text(s, 2, &rec.lambda_arn)) != STATUS_OK)
		goto out;
	rec.after_days = sqlite3_column_int64(s, 3);
	rec.display_days = sqlite3_column_int64(s, 4);
	if ((st = column_text(s, 5, &rec.duration)) != STATUS_OK ||
	    (st = column_text(s, 6, &rec.schedule_expression)) != STATUS_OK)
		goto out;
	rec.last_rotated_at = sqlite3_column_int64(s, 7);
	rec.next_window_at = sqlite3_column_int64(s, 8);
	rec.next_window_end_at = sqlite3_column_int64(s, 9);
	if ((st = column_text(s, 10, &rec.pending_version_id)) != STATUS_OK ||
	    (st = column_text(s, 11, &rec.rotation_token)) != STATUS_OK ||
	    (st = column_text(s, 12, &rec.step)) != STATUS_OK ||
	    (st = column_text(s, 13, &rec.status)) != STATUS_OK ||
	    (st = column_text(s, 14, &rec.last_error)) != STATUS_OK)
		goto out;
	rec.attempt_count = sqlite3_column_int64(s, 15);
	rec.started_at = sqlite3_column_int64(s, 16);
	rec.retry_at = sqlite3_column_int64(s, 17);
	if ((st = column_text(s, 18, &rec.lease_owner)) != STATUS_OK)
		goto out;
	rec.lease_until = sqlite3_column_int64(s, 19);
	if ((st = column_text(s, 20, &rec.access_key_id)) != STATUS_OK)
		goto out;
	rec.updated_at = sqlite3_column_int64(s, 21);
	if ((st = column_text(s, 22, &rec.secret_arn)) != STATUS_OK ||
	    (st = column_text(s, 23, &rec.account_id)) != STATUS_OK ||
	    (st = column_text(s, 24, &rec.region)) != STATUS_OK)
		goto out;
	rec.secret_deleted_at = sqlite3_column_int64(s, 25);
	rec.current_created_at = sqlite3_column_int64(s, 26);
	if ((st = column_text(s, 27, &rec.master_arn)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	rotation_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_rotation_get(void *txn, int64_t secret_id,
    struct rotation_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_int64(s, 1, secret_id, SQLITE_OK);
	if ((st = stmt_row(c, s, rc, "rotation get")) != STATUS_OK)
		goto out;
	st = rotation_from_row(s, out);
out:
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_rotation_put(void *txn, const struct rotation_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, rec->secret_id, SQLITE_OK);
	rc = bind_int64(s, 2, rec->is_enabled, rc);
	rc = bind_text(s, 3, rec->lambda_arn, rc);
	rc = bind_int64(s, 4, rec->after_days, rc);
	rc = bind_int64(s, 5, rec->display_days, rc);
	rc = bind_text(s, 6, rec->duration, rc);
	rc = bind_text(s, 7, rec->schedule_expression, rc);
	rc = bind_int64(s, 8, rec->last_rotated_at, rc);
	rc = bind_int64(s, 9, rec->next_window_at, rc);
	rc = bind_int64(s, 10, rec->next_window_end_at, rc);
	rc = bind_text(s, 11, rec->pending_version_id, rc);
	rc = bind_text(s, 12, rec->rotation_token, rc);
	rc = bind_text(s, 13, rec->step, rc);
	rc = bind_text(s, 14, rec->status, rc);
	rc = bind_text(s, 15, rec->last_error, rc);
	rc = bind_int64(s, 16, rec->attempt_count, rc);
	rc = bind_int64(s, 17, rec->started_at, rc);
	rc = bind_int64(s, 18, rec->retry_at, rc);
	rc = bind_text(s, 19, rec->lease_owner, rc);
	rc = bind_int64(s, 20, rec->lease_until, rc);
	rc = bind_text(s, 21, rec->access_key_id, rc);
	rc = bind_int64(s, 22, rec->updated_at, rc);
	rc = bind_text(s, 23, rec->master_arn, rc);
	return stmt_done(c, s, rc, "rotation put");
}

static enum status
store_sqlite_rotation_list(void *txn, const struct store_rotation_query *q,
    struct rotation_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct rotation_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_LIST, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, q->account_id, SQLITE_OK);
	rc = bind_int64(s, 2, q->after_secret_id, rc);
	rc = bind_int64(s, 3, q->due_at, rc);
	rc = bind_int64(s, 4, q->limit > (size_t)INT64_MAX ? INT64_MAX :
	    (int64_t)q->limit, rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = rotation_from_row(s, &recs[n])) != STATUS_OK)
			goto out;
		n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "rotation list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	rotation_records_free(recs, n);
	return st;
}

static enum status
rotation_function_from_row(sqlite3_stmt *s,
    struct rotation_function_record *out)
{
	struct rotation_function_record rec;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = column_text(s, 0, &rec.arn)) != STATUS_OK ||
	    (st = column_text(s, 1, &rec.kind)) != STATUS_OK ||
	    (st = column_text(s, 2, &rec.target)) != STATUS_OK)
		goto out;
	rec.timeout_seconds = sqlite3_column_int64(s, 3);
	rec.created_at = sqlite3_column_int64(s, 4);
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	rotation_function_record_cleanup(&rec);
	return st;
}

static enum status
store_sqlite_rotation_function_put(void *txn,
    const struct rotation_function_record *rec)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_FUNCTION_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->arn, SQLITE_OK);
	rc = bind_text(s, 2, rec->kind, rc);
	rc = bind_text(s, 3, rec->target, rc);
	rc = bind_int64(s, 4, rec->timeout_seconds, rc);
	rc = bind_int64(s, 5, rec->created_at, rc);
	return stmt_done(c, s, rc, "rotation function put");
}

static enum status
store_sqlite_rotation_function_get(void *txn, const char *arn,
    struct rotation_function_record *out)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s = NULL;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_FUNCTION_GET, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, arn, SQLITE_OK);
	if ((st = stmt_row(c, s, rc, "rotation function get")) != STATUS_OK)
		goto out;
	st = rotation_function_from_row(s, out);
out:
	stmt_reset(s);
	return st;
}

static enum status
store_sqlite_rotation_function_list(void *txn,
    struct rotation_function_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct rotation_function_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = txn_stmt(c, STMT_ROTATION_FUNCTION_LIST, &s)) != STATUS_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		if ((st = rotation_function_from_row(s, &recs[n])) !=
		    STATUS_OK)
			goto out;
		n++;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "rotation function list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	rotation_function_records_free(recs, n);
	return st;
}

static enum status
store_sqlite_rotation_function_delete(void *txn, const char *arn)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ROTATION_FUNCTION_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, arn, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "rotation function delete")) !=
	    STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_access_key_delete(void *txn, const char *access_key_id)
{
	struct sqlite_conn *c = txn;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ACCESS_KEY_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, access_key_id, SQLITE_OK);
	if ((st = stmt_done(c, s, rc, "access key delete")) != STATUS_OK)
		return st;
	return sqlite3_changes(c->db) == 0 ? STATUS_NOT_FOUND : STATUS_OK;
}

static enum status
store_sqlite_access_key_list_by_user(void *txn, const char *user_name,
    struct access_key_record **out, size_t *count)
{
	struct sqlite_conn *c = txn;
	struct access_key_record *recs = NULL, *grown;
	sqlite3_stmt	*s = NULL;
	size_t		 n = 0, cap = 0;
	enum status	 st;
	int		 rc;

	if ((st = txn_stmt(c, STMT_ACCESS_KEY_LIST_BY_USER, &s)) != STATUS_OK)
		goto out;
	rc = bind_text(s, 1, user_name, SQLITE_OK);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct access_key_record *r;

		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap,
			    sizeof(*recs))) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		r = &recs[n++];
		memset(r, 0, sizeof(*r));
		if ((st = column_text(s, 0, &r->access_key_id)) != STATUS_OK ||
		    (st = column_text(s, 1, &r->account_id)) != STATUS_OK ||
		    (st = column_text(s, 2, &r->principal_arn)) != STATUS_OK ||
		    (st = column_text(s, 3, &r->user_name)) != STATUS_OK ||
		    (st = column_text(s, 4, &r->user_id)) != STATUS_OK)
			goto out;
		r->is_active = sqlite3_column_int64(s, 5) != 0;
		r->created_at = sqlite3_column_int64(s, 6);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = conn_status(c, rc, "access key list");
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	access_key_records_free(recs, n);
	return st;
}

/* ---- for the backend's other files (store_sqlite_internal.h) ---- */

enum status
store_sqlite_statement(void *txn, unsigned slot, const char *sql,
    sqlite3_stmt **out)
{
	struct sqlite_conn *c = txn;
	int		 rc;

	if (slot >= STORE_SQLITE_EXTRA_STMTS) {
		log_error("store: statement slot %u out of range", slot);
		return STATUS_INTERNAL;
	}
	if (sqlite3_get_autocommit(c->db)) {
		log_error("store: the transaction was rolled back after an "
		    "earlier error");
		return STATUS_IO;
	}
	if (c->extra_stmts[slot] == NULL) {
		rc = sqlite3_prepare_v3(c->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &c->extra_stmts[slot], NULL);
		if (rc != SQLITE_OK) {
			c->extra_stmts[slot] = NULL;
			return conn_status(c, rc, "prepare");
		}
	}
	*out = c->extra_stmts[slot];
	return STATUS_OK;
}

enum status
store_sqlite_status(void *txn, int rc, const char *what)
{
	return conn_status(txn, rc, what);
}

enum status
store_sqlite_savepoint_begin(void *txn)
{
	return savepoint_begin(txn);
}

enum status
store_sqlite_savepoint_end(void *txn, enum status st)
{
	return savepoint_end(txn, st);
}

const struct store_backend store_backend_sqlite = {
	.name = "sqlite",
	.open = store_sqlite_open,
	.close = store_sqlite_close,
	.begin = store_sqlite_begin,
	.commit = store_sqlite_commit,
	.rollback = store_sqlite_rollback,
	.meta_get = store_sqlite_meta_get,
	.meta_put = store_sqlite_meta_put,
	.account_put = store_sqlite_account_put,
	.account_exists = store_sqlite_account_exists,
	.access_key_put = store_sqlite_access_key_put,
	.access_key_get = store_sqlite_access_key_get,
	.kms_key_put = store_sqlite_kms_key_put,
	.kms_key_get = store_sqlite_kms_key_get,
	.kms_alias_put = store_sqlite_kms_alias_put,
	.kms_alias_get = store_sqlite_kms_alias_get,
	.kms_key_update = store_sqlite_kms_key_update,
	.kms_key_delete = store_sqlite_kms_key_delete,
	.kms_key_list = store_sqlite_kms_key_list,
	.kms_key_list_due = store_sqlite_kms_key_list_due,
	.kms_key_version_put = store_sqlite_kms_key_version_put,
	.kms_key_version_get = store_sqlite_kms_key_version_get,
	.kms_key_version_list = store_sqlite_kms_key_version_list,
	.kms_alias_update = store_sqlite_kms_alias_update,
	.kms_alias_delete = store_sqlite_kms_alias_delete,
	.kms_alias_list = store_sqlite_kms_alias_list,
	.kms_tags_put = store_sqlite_kms_tags_put,
	.kms_tags_get = store_sqlite_kms_tags_get,
	.root_wrapped_list = store_sqlite_root_wrapped_list,
	.root_wrapped_update = store_sqlite_root_wrapped_update,
	.meta_delete = store_sqlite_meta_delete,
	.version_rewrap = store_sqlite_version_rewrap,
	.secret_insert = store_sqlite_secret_insert,
	.secret_get_by_name = store_sqlite_secret_get_by_name,
	.secret_get_by_arn = store_sqlite_secret_get_by_arn,
	.secret_update = store_sqlite_secret_update,
	.secret_delete = store_sqlite_secret_delete,
	.secret_list = store_sqlite_secret_list,
	.secret_list_due = store_sqlite_secret_list_due,
	.secret_counts = store_sqlite_secret_counts,
	.secret_policy_put = store_sqlite_secret_policy_put,
	.secret_policy_get = store_sqlite_secret_policy_get,
	.secret_policy_delete = store_sqlite_secret_policy_delete,
	.replica_put = store_sqlite_replica_put,
	.replica_list = store_sqlite_replica_list,
	.replica_delete = store_sqlite_replica_delete,
	.tags_put = store_sqlite_tags_put,
	.tags_get = store_sqlite_tags_get,
	.version_insert = store_sqlite_version_insert,
	.version_get = store_sqlite_version_get,
	.version_get_by_stage = store_sqlite_version_get_by_stage,
	.version_list = store_sqlite_version_list,
	.version_list_prunable = store_sqlite_version_list_prunable,
	.version_delete = store_sqlite_version_delete,
	.stage_move = store_sqlite_stage_move,
	.stage_remove = store_sqlite_stage_remove,
	.rotation_get = store_sqlite_rotation_get,
	.rotation_put = store_sqlite_rotation_put,
	.rotation_list = store_sqlite_rotation_list,
	.rotation_function_put = store_sqlite_rotation_function_put,
	.rotation_function_get = store_sqlite_rotation_function_get,
	.rotation_function_list = store_sqlite_rotation_function_list,
	.rotation_function_delete = store_sqlite_rotation_function_delete,
	.access_key_delete = store_sqlite_access_key_delete,
	.access_key_list_by_user = store_sqlite_access_key_list_by_user,
	.iam = &store_iam_backend_sqlite,
};
