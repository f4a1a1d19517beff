/*
 * store_sqlite_iam.c: the IAM tables of the SQLite backend (schema in
 * store_sqlite.c, migration 5): iam_entities (users, groups, roles),
 * iam_group_members, iam_inline_policies, iam_policies,
 * iam_policy_versions, iam_attachments, iam_tags, iam_sessions; and the
 * queries on access_keys that IAM needs.
 *
 * Invariants as in store_sqlite.c: SQL comes only from the table below,
 * every value is bound, statements are prepared once per connection
 * (store_sqlite_statement) and reset before a function returns.  Names
 * compare without regard to case because their columns are COLLATE NOCASE.
 *
 * Thread-safety: a transaction's connection is used by one thread.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite_internal.h"

enum iam_stmt {
	S_ENTITY_PUT,
	S_ENTITY_GET,
	S_ENTITY_UPDATE,
	S_ENTITY_DELETE,
	S_ENTITY_TAGS_DELETE,
	S_ENTITY_INLINE_DELETE,
	S_ENTITY_ATTACHMENTS_DELETE,
	S_ENTITY_MEMBERS_DELETE,
	S_ENTITY_LIST,
	S_MEMBER_PUT,
	S_MEMBER_DELETE,
	S_MEMBER_LIST_USERS,
	S_MEMBER_LIST_GROUPS,
	S_INLINE_PUT,
	S_INLINE_GET,
	S_INLINE_DELETE,
	S_INLINE_LIST,
	S_POLICY_PUT,
	S_POLICY_GET,
	S_POLICY_UPDATE,
	S_POLICY_TAGS_DELETE,
	S_POLICY_DELETE,
	S_POLICY_LIST,
	S_VERSION_PUT,
	S_VERSION_GET,
	S_VERSION_DELETE,
	S_VERSION_LIST,
	S_ATTACHMENT_PUT,
	S_ATTACHMENT_DELETE,
	S_ATTACHMENT_LIST,
	S_TAG_PUT,
	S_TAG_DELETE,
	S_TAGS_GET,
	S_SESSION_PUT,
	S_SESSION_GET,
	S_SESSION_EXPIRED,
	S_SESSION_DELETE,
	S_SESSION_TAGS_DELETE,
	S_SESSION_ATTACHMENTS_DELETE,
	S_KEYS_BY_OWNER,
	S_KEY_SET_ACTIVE,
	S__COUNT
};

#define ENTITY_COLUMNS(p)						\
	p "kind, " p "account_id, " p "name, " p "id, " p "path, "	\
	p "arn, " p "created_at, " p "permissions_boundary, "		\
	p "trust_policy, " p "description, " p "max_session_seconds"

/* Attachments of sessions are session policies, not attachments. */
#define POLICY_COLUMNS							\
	"p.arn, p.account_id, p.name, p.id, p.path, p.description, "	\
	"p.default_version, p.next_version, p.created_at, p.updated_at, " \
	"(SELECT count(*) FROM iam_attachments a "			\
	"WHERE a.policy_arn = p.arn AND a.kind != 'session'), "	\
	"(SELECT count(*) FROM iam_entities e "			\
	"WHERE e.permissions_boundary = p.arn)"

#define SESSION_COLUMNS							\
	"access_key_id, account_id, type, arn, user_id, user_name, "	\
	"role_arn, role_name, role_id, session_name, source_identity, "	\
	"source_access_key_id, is_account_administrator, wrapped_secret, " \
	"token_hash, policy, created_at, expires_at"

static const char *const iam_sql[S__COUNT] = {
	[S_ENTITY_PUT] =
	    "INSERT INTO iam_entities (" ENTITY_COLUMNS("") ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_ENTITY_GET] =
	    "SELECT " ENTITY_COLUMNS("") " FROM iam_entities "
	    "WHERE account_id = ?1 AND kind = ?2 AND name = ?3",
	[S_ENTITY_UPDATE] =
	    "UPDATE iam_entities SET permissions_boundary = ?4, "
	    "trust_policy = ?5, description = ?6, max_session_seconds = ?7 "
	    "WHERE account_id = ?1 AND kind = ?2 AND name = ?3",
	[S_ENTITY_DELETE] =
	    "DELETE FROM iam_entities "
	    "WHERE account_id = ?1 AND kind = ?2 AND name = ?3",
	[S_ENTITY_TAGS_DELETE] =
	    "DELETE FROM iam_tags "
	    "WHERE account_id = ?1 AND kind = ?2 AND name = ?3",
	[S_ENTITY_INLINE_DELETE] =
	    "DELETE FROM iam_inline_policies "
	    "WHERE account_id = ?1 AND kind = ?2 AND entity_name = ?3",
	[S_ENTITY_ATTACHMENTS_DELETE] =
	    "DELETE FROM iam_attachments "
	    "WHERE account_id = ?1 AND kind = ?2 AND entity_name = ?3",
	[S_ENTITY_MEMBERS_DELETE] =
	    "DELETE FROM iam_group_members WHERE account_id = ?1 AND "
	    "((?2 = 'group' AND group_name = ?3) OR "
	    "(?2 = 'user' AND user_name = ?3))",
	[S_ENTITY_LIST] =
	    "SELECT " ENTITY_COLUMNS("") " FROM iam_entities "
	    "WHERE account_id = ?1 AND kind = ?2 "
	    "AND (?3 IS NULL OR substr(path, 1, length(?3)) = ?3) "
	    "AND (?4 IS NULL OR name > ?4) ORDER BY name LIMIT ?5",

	[S_MEMBER_PUT] =
	    "INSERT INTO iam_group_members (account_id, group_name, user_name) "
	    "VALUES (?1, ?2, ?3)",
	[S_MEMBER_DELETE] =
	    "DELETE FROM iam_group_members "
	    "WHERE account_id = ?1 AND group_name = ?2 AND user_name = ?3",
	[S_MEMBER_LIST_USERS] =
	    "SELECT " ENTITY_COLUMNS("e.") " FROM iam_group_members m "
	    "JOIN iam_entities e ON e.account_id = m.account_id "
	    "AND e.kind = 'user' AND e.name = m.user_name "
	    "WHERE m.account_id = ?1 AND m.group_name = ?2 "
	    "AND (?3 IS NULL OR e.name > ?3) ORDER BY e.name LIMIT ?4",
	[S_MEMBER_LIST_GROUPS] =
	    "SELECT " ENTITY_COLUMNS("e.") " FROM iam_group_members m "
	    "JOIN iam_entities e ON e.account_id = m.account_id "
	    "AND e.kind = 'group' AND e.name = m.group_name "
	    "WHERE m.account_id = ?1 AND m.user_name = ?2 "
	    "AND (?3 IS NULL OR e.name > ?3) ORDER BY e.name LIMIT ?4",

	[S_INLINE_PUT] =
	    "INSERT INTO iam_inline_policies (account_id, kind, entity_name, "
	    "policy_name, document) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (account_id, kind, entity_name, policy_name) "
	    "DO UPDATE SET policy_name = excluded.policy_name, "
	    "document = excluded.document",
	[S_INLINE_GET] =
	    "SELECT document FROM iam_inline_policies WHERE account_id = ?1 "
	    "AND kind = ?2 AND entity_name = ?3 AND policy_name = ?4",
	[S_INLINE_DELETE] =
	    "DELETE FROM iam_inline_policies WHERE account_id = ?1 "
	    "AND kind = ?2 AND entity_name = ?3 AND policy_name = ?4",
	[S_INLINE_LIST] =
	    "SELECT policy_name, document FROM iam_inline_policies "
	    "WHERE account_id = ?1 AND kind = ?2 AND entity_name = ?3 "
	    "AND (?4 IS NULL OR policy_name > ?4) "
	    "ORDER BY policy_name LIMIT ?5",

	[S_POLICY_PUT] =
	    "INSERT INTO iam_policies (arn, account_id, name, id, path, "
	    "description, default_version, next_version, created_at, "
	    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_POLICY_GET] =
	    "SELECT " POLICY_COLUMNS " FROM iam_policies p WHERE p.arn = ?1",
	[S_POLICY_UPDATE] =
	    "UPDATE iam_policies SET default_version = ?2, next_version = ?3, "
	    "updated_at = ?4 WHERE arn = ?1",
	[S_POLICY_TAGS_DELETE] =
	    "DELETE FROM iam_tags WHERE kind = 'policy' AND (account_id, name) "
	    "IN (SELECT account_id, name FROM iam_policies WHERE arn = ?1)",
	[S_POLICY_DELETE] = "DELETE FROM iam_policies WHERE arn = ?1",
	[S_POLICY_LIST] =
	    "SELECT " POLICY_COLUMNS " FROM iam_policies p "
	    "WHERE p.account_id = ?1 "
	    "AND (?2 IS NULL OR substr(p.path, 1, length(?2)) = ?2) "
	    "AND (?3 IS NULL OR p.name > ?3) "
	    "AND (NOT ?4 OR EXISTS (SELECT 1 FROM iam_attachments a "
	    "WHERE a.policy_arn = p.arn AND a.kind != 'session')) "
	    "ORDER BY p.name LIMIT ?5",

	[S_VERSION_PUT] =
	    "INSERT INTO iam_policy_versions (policy_arn, version_id, "
	    "document, created_at) VALUES (?1, ?2, ?3, ?4)",
	[S_VERSION_GET] =
	    "SELECT policy_arn, version_id, document, created_at "
	    "FROM iam_policy_versions WHERE policy_arn = ?1 AND version_id = ?2",
	[S_VERSION_DELETE] =
	    "DELETE FROM iam_policy_versions "
	    "WHERE policy_arn = ?1 AND version_id = ?2",
	[S_VERSION_LIST] =
	    "SELECT policy_arn, version_id, document, created_at "
	    "FROM iam_policy_versions WHERE policy_arn = ?1 "
	    "ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC",

	[S_ATTACHMENT_PUT] =
	    "INSERT INTO iam_attachments (account_id, kind, entity_name, "
	    "policy_arn) VALUES (?1, ?2, ?3, ?4)",
	[S_ATTACHMENT_DELETE] =
	    "DELETE FROM iam_attachments WHERE account_id = ?1 AND kind = ?2 "
	    "AND entity_name = ?3 AND policy_arn = ?4",
	[S_ATTACHMENT_LIST] =
	    "SELECT policy_arn FROM iam_attachments WHERE account_id = ?1 "
	    "AND kind = ?2 AND entity_name = ?3 ORDER BY policy_arn",

	[S_TAG_PUT] =
	    "INSERT INTO iam_tags (account_id, kind, name, tag_key, tag_value) "
	    "VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (account_id, kind, name, tag_key) "
	    "DO UPDATE SET tag_key = excluded.tag_key, "
	    "tag_value = excluded.tag_value",
	[S_TAG_DELETE] =
	    "DELETE FROM iam_tags WHERE account_id = ?1 AND kind = ?2 "
	    "AND name = ?3 AND tag_key = ?4",
	[S_TAGS_GET] =
	    "SELECT tag_key, tag_value FROM iam_tags WHERE account_id = ?1 "
	    "AND kind = ?2 AND name = ?3 ORDER BY tag_key",

	[S_SESSION_PUT] =
	    "INSERT INTO iam_sessions (" SESSION_COLUMNS ") VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	    "?17, ?18)",
	[S_SESSION_GET] =
	    "SELECT " SESSION_COLUMNS " FROM iam_sessions "
	    "WHERE access_key_id = ?1",
	[S_SESSION_EXPIRED] =
	    "SELECT access_key_id, account_id FROM iam_sessions "
	    "WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2",
	[S_SESSION_DELETE] =
	    "DELETE FROM iam_sessions WHERE access_key_id = ?1",
	[S_SESSION_TAGS_DELETE] =
	    "DELETE FROM iam_tags WHERE account_id = ?1 AND kind = 'session' "
	    "AND name = ?2",
	[S_SESSION_ATTACHMENTS_DELETE] =
	    "DELETE FROM iam_attachments WHERE account_id = ?1 "
	    "AND kind = 'session' AND entity_name = ?2",

	[S_KEYS_BY_OWNER] =
	    "SELECT access_key_id, account_id, principal_arn, user_name, "
	    "user_id, is_active, created_at FROM access_keys "
	    "WHERE account_id = ?1 AND user_name = ?2 "
	    "AND (?3 IS NULL OR user_id = ?3) "
	    "ORDER BY created_at, access_key_id",
	[S_KEY_SET_ACTIVE] =
	    "UPDATE access_keys SET is_active = ?2 WHERE access_key_id = ?1",
};

/* ---- helpers ---- */

static enum status
stmt_get(void *txn, enum iam_stmt id, sqlite3_stmt **out)
{
	return store_sqlite_statement(txn, (unsigned)id, iam_sql[id], out);
}

static void
stmt_reset(sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static const char *
kind_name(enum iam_kind kind)
{
	switch (kind) {
	case IAM_KIND_USER:
		return "user";
	case IAM_KIND_GROUP:
		return "group";
	case IAM_KIND_ROLE:
		return "role";
	case IAM_KIND_POLICY:
		return "policy";
	case IAM_KIND_SESSION:
		return "session";
	}
	return "?";
}

static enum iam_kind
kind_parse(const unsigned char *text)
{
	if (text != NULL && strcmp((const char *)text, "group") == 0)
		return IAM_KIND_GROUP;
	if (text != NULL && strcmp((const char *)text, "role") == 0)
		return IAM_KIND_ROLE;
	return IAM_KIND_USER;
}

/* (account, kind, name) in ?1, ?2, ?3: the key of most statements. */
static int
bind_key(sqlite3_stmt *s, const char *account_id, enum iam_kind kind,
    const char *name)
{
	int rc = SQLITE_OK;

	rc = bind_text(s, 1, account_id, rc);
	rc = bind_text(s, 2, kind_name(kind), rc);
	return bind_text(s, 3, name, rc);
}

/* Run a statement that returns no rows, then reset it.  With
 * must_change, a statement that changed no row is STATUS_NOT_FOUND. */
static enum status
stmt_done(void *txn, sqlite3_stmt *s, int rc, bool must_change,
    const char *what)
{
	enum status	 st = STATUS_OK;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		st = store_sqlite_status(txn, rc, what);
	else if (must_change && sqlite3_changes(sqlite3_db_handle(s)) == 0)
		st = STATUS_NOT_FOUND;
	stmt_reset(s);
	return st;
}

/* Step to the first row: STATUS_OK on a row, STATUS_NOT_FOUND on none. */
static enum status
stmt_row(void *txn, sqlite3_stmt *s, int rc, const char *what)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return STATUS_OK;
	if (rc == SQLITE_DONE)
		return STATUS_NOT_FOUND;
	return store_sqlite_status(txn, rc, what);
}

/* Collect every row of a bound statement into a malloc'd array of
 * records of size bytes, each read by read_row (which owns what it
 * allocates in the record); on failure free_rows frees what was read. */
typedef enum status (*row_reader_fn)(sqlite3_stmt *, void *record);
typedef void (*rows_free_fn)(void *records, size_t count);

static enum status
rows_collect(void *txn, sqlite3_stmt *s, int rc, size_t size,
    row_reader_fn read_row, rows_free_fn free_rows, void **out,
    size_t *count, const char *what)
{
	unsigned char	*recs = NULL, *grown;
	size_t		 n = 0, cap = 0;
	enum status	 st;

	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((grown = reallocarray(recs, cap, size)) == NULL) {
				st = STATUS_NO_MEMORY;
				goto out;
			}
			recs = grown;
		}
		memset(recs + n * size, 0, size);
		n++;
		if ((st = read_row(s, recs + (n - 1) * size)) != STATUS_OK)
			goto out;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		st = store_sqlite_status(txn, rc, what);
		goto out;
	}
	*out = recs;
	*count = n;
	recs = NULL;
	n = 0;
	st = STATUS_OK;
out:
	stmt_reset(s);
	if (recs != NULL)
		free_rows(recs, n);
	return st;
}

/* ---- entities ---- */

static enum status
entity_read(sqlite3_stmt *s, void *record)
{
	struct iam_entity_record *r = record;
	enum status	 st;

	r->kind = kind_parse(sqlite3_column_text(s, 0));
	if ((st = column_text(s, 1, &r->account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &r->name)) != STATUS_OK ||
	    (st = column_text(s, 3, &r->id)) != STATUS_OK ||
	    (st = column_text(s, 4, &r->path)) != STATUS_OK ||
	    (st = column_text(s, 5, &r->arn)) != STATUS_OK ||
	    (st = column_text(s, 7, &r->permissions_boundary)) != STATUS_OK ||
	    (st = column_text(s, 8, &r->trust_policy)) != STATUS_OK ||
	    (st = column_text(s, 9, &r->description)) != STATUS_OK)
		return st;
	r->created_at = sqlite3_column_int64(s, 6);
	r->max_session_seconds = sqlite3_column_int64(s, 10);
	return STATUS_OK;
}

static void
entities_free(void *records, size_t count)
{
	iam_entity_records_free(records, count);
}

static enum status
sqlite_iam_entity_put(void *txn, const struct iam_entity_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = stmt_get(txn, S_ENTITY_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, kind_name(rec->kind), rc);
	rc = bind_text(s, 2, rec->account_id, rc);
	rc = bind_text(s, 3, rec->name, rc);
	rc = bind_text(s, 4, rec->id, rc);
	rc = bind_text(s, 5, rec->path, rc);
	rc = bind_text(s, 6, rec->arn, rc);
	rc = bind_int64(s, 7, rec->created_at, rc);
	rc = bind_text(s, 8, rec->permissions_boundary, rc);
	rc = bind_text(s, 9, rec->trust_policy, rc);
	rc = bind_text(s, 10, rec->description, rc);
	rc = bind_int64(s, 11, rec->max_session_seconds, rc);
	return stmt_done(txn, s, rc, false, "iam entity put");
}

static enum status
sqlite_iam_entity_get(void *txn, enum iam_kind kind, const char *account_id,
    const char *name, struct iam_entity_record *out)
{
	struct iam_entity_record rec;
	sqlite3_stmt	*s;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = stmt_get(txn, S_ENTITY_GET, &s)) != STATUS_OK)
		return st;
	if ((st = stmt_row(txn, s, bind_key(s, account_id, kind, name),
	    "iam entity get")) == STATUS_OK &&
	    (st = entity_read(s, &rec)) == STATUS_OK) {
		*out = rec;
		memset(&rec, 0, sizeof(rec));
	}
	stmt_reset(s);
	iam_entity_record_cleanup(&rec);
	return st;
}

static enum status
sqlite_iam_entity_update(void *txn, const struct iam_entity_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_ENTITY_UPDATE, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, rec->account_id, rec->kind, rec->name);
	rc = bind_text(s, 4, rec->permissions_boundary, rc);
	rc = bind_text(s, 5, rec->trust_policy, rc);
	rc = bind_text(s, 6, rec->description, rc);
	rc = bind_int64(s, 7, rec->max_session_seconds, rc);
	return stmt_done(txn, s, rc, true, "iam entity update");
}

static enum status
sqlite_iam_entity_delete(void *txn, enum iam_kind kind, const char *account_id,
    const char *name)
{
	static const enum iam_stmt steps[] = { S_ENTITY_TAGS_DELETE,
	    S_ENTITY_INLINE_DELETE, S_ENTITY_ATTACHMENTS_DELETE,
	    S_ENTITY_MEMBERS_DELETE, S_ENTITY_DELETE };
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = store_sqlite_savepoint_begin(txn)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((st = stmt_get(txn, steps[i], &s)) != STATUS_OK ||
		    (st = stmt_done(txn, s, bind_key(s, account_id, kind, name),
		    steps[i] == S_ENTITY_DELETE, "iam entity delete")) !=
		    STATUS_OK)
			break;
	}
	return store_sqlite_savepoint_end(txn, st);
}

static enum status
sqlite_iam_entity_list(void *txn, enum iam_kind kind,
    const struct iam_list_query *q, struct iam_entity_record **out,
    size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_ENTITY_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, q->account_id, SQLITE_OK);
	rc = bind_text(s, 2, kind_name(kind), rc);
	rc = bind_text(s, 3, q->path_prefix, rc);
	rc = bind_text(s, 4, q->after_name, rc);
	rc = bind_int64(s, 5, (int64_t)q->limit, rc);
	return rows_collect(txn, s, rc, sizeof(**out), entity_read,
	    entities_free, (void **)out, count, "iam entity list");
}

/* ---- group membership ---- */

static enum status
member_statement(void *txn, enum iam_stmt id, const char *account_id,
    const char *group_name, const char *user_name, bool must_change)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, id, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, group_name, rc);
	rc = bind_text(s, 3, user_name, rc);
	return stmt_done(txn, s, rc, must_change, "iam membership");
}

static enum status
sqlite_iam_member_put(void *txn, const char *account_id, const char *group_name,
    const char *user_name)
{
	return member_statement(txn, S_MEMBER_PUT, account_id, group_name,
	    user_name, false);
}

static enum status
sqlite_iam_member_delete(void *txn, const char *account_id,
    const char *group_name, const char *user_name)
{
	return member_statement(txn, S_MEMBER_DELETE, account_id, group_name,
	    user_name, true);
}

static enum status
sqlite_iam_member_list(void *txn, enum iam_kind kind, const char *name,
    const struct iam_list_query *q, struct iam_entity_record **out,
    size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, kind == IAM_KIND_USER ? S_MEMBER_LIST_USERS :
	    S_MEMBER_LIST_GROUPS, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, q->account_id, SQLITE_OK);
	rc = bind_text(s, 2, name, rc);
	rc = bind_text(s, 3, q->after_name, rc);
	rc = bind_int64(s, 4, (int64_t)q->limit, rc);
	return rows_collect(txn, s, rc, sizeof(**out), entity_read,
	    entities_free, (void **)out, count, "iam membership list");
}

/* ---- inline policies ---- */

static enum status
sqlite_iam_inline_policy_put(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name,
    const char *document)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_INLINE_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, account_id, kind, entity_name);
	rc = bind_text(s, 4, policy_name, rc);
	rc = bind_text(s, 5, document, rc);
	return stmt_done(txn, s, rc, false, "iam inline policy put");
}

static enum status
sqlite_iam_inline_policy_get(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name,
    char **document)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_INLINE_GET, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, account_id, kind, entity_name);
	rc = bind_text(s, 4, policy_name, rc);
	if ((st = stmt_row(txn, s, rc, "iam inline policy get")) == STATUS_OK)
		st = column_text(s, 0, document);
	stmt_reset(s);
	return st;
}

static enum status
sqlite_iam_inline_policy_delete(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_name)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_INLINE_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, account_id, kind, entity_name);
	rc = bind_text(s, 4, policy_name, rc);
	return stmt_done(txn, s, rc, true, "iam inline policy delete");
}

static enum status
inline_read(sqlite3_stmt *s, void *record)
{
	struct iam_inline_policy_record *r = record;
	enum status	 st;

	if ((st = column_text(s, 0, &r->name)) != STATUS_OK)
		return st;
	return column_text(s, 1, &r->document);
}

static void
inlines_free(void *records, size_t count)
{
	iam_inline_policy_records_free(records, count);
}

static enum status
sqlite_iam_inline_policy_list(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *after_name,
    size_t limit, struct iam_inline_policy_record **out, size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_INLINE_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, account_id, kind, entity_name);
	rc = bind_text(s, 4, after_name, rc);
	rc = bind_int64(s, 5, (int64_t)limit, rc);
	return rows_collect(txn, s, rc, sizeof(**out), inline_read,
	    inlines_free, (void **)out, count, "iam inline policy list");
}

/* ---- managed policies ---- */

static enum status
policy_read(sqlite3_stmt *s, void *record)
{
	struct iam_policy_record *r = record;
	enum status	 st;

	if ((st = column_text(s, 0, &r->arn)) != STATUS_OK ||
	    (st = column_text(s, 1, &r->account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &r->name)) != STATUS_OK ||
	    (st = column_text(s, 3, &r->id)) != STATUS_OK ||
	    (st = column_text(s, 4, &r->path)) != STATUS_OK ||
	    (st = column_text(s, 5, &r->description)) != STATUS_OK ||
	    (st = column_text(s, 6, &r->default_version)) != STATUS_OK)
		return st;
	r->next_version = sqlite3_column_int64(s, 7);
	r->created_at = sqlite3_column_int64(s, 8);
	r->updated_at = sqlite3_column_int64(s, 9);
	r->attachment_count = sqlite3_column_int64(s, 10);
	r->boundary_count = sqlite3_column_int64(s, 11);
	return STATUS_OK;
}

static void
policies_free(void *records, size_t count)
{
	iam_policy_records_free(records, count);
}

static enum status
sqlite_iam_policy_put(void *txn, const struct iam_policy_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = stmt_get(txn, S_POLICY_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->arn, rc);
	rc = bind_text(s, 2, rec->account_id, rc);
	rc = bind_text(s, 3, rec->name, rc);
	rc = bind_text(s, 4, rec->id, rc);
	rc = bind_text(s, 5, rec->path, rc);
	rc = bind_text(s, 6, rec->description, rc);
	rc = bind_text(s, 7, rec->default_version, rc);
	rc = bind_int64(s, 8, rec->next_version, rc);
	rc = bind_int64(s, 9, rec->created_at, rc);
	rc = bind_int64(s, 10, rec->updated_at, rc);
	return stmt_done(txn, s, rc, false, "iam policy put");
}

static enum status
sqlite_iam_policy_get(void *txn, const char *arn, struct iam_policy_record *out)
{
	struct iam_policy_record rec;
	sqlite3_stmt	*s;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = stmt_get(txn, S_POLICY_GET, &s)) != STATUS_OK)
		return st;
	if ((st = stmt_row(txn, s, bind_text(s, 1, arn, SQLITE_OK),
	    "iam policy get")) == STATUS_OK &&
	    (st = policy_read(s, &rec)) == STATUS_OK) {
		*out = rec;
		memset(&rec, 0, sizeof(rec));
	}
	stmt_reset(s);
	iam_policy_record_cleanup(&rec);
	return st;
}

static enum status
sqlite_iam_policy_update(void *txn, const struct iam_policy_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = stmt_get(txn, S_POLICY_UPDATE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->arn, rc);
	rc = bind_text(s, 2, rec->default_version, rc);
	rc = bind_int64(s, 3, rec->next_version, rc);
	rc = bind_int64(s, 4, rec->updated_at, rc);
	return stmt_done(txn, s, rc, true, "iam policy update");
}

static enum status
sqlite_iam_policy_delete(void *txn, const char *arn)
{
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = store_sqlite_savepoint_begin(txn)) != STATUS_OK)
		return st;
	if ((st = stmt_get(txn, S_POLICY_TAGS_DELETE, &s)) == STATUS_OK &&
	    (st = stmt_done(txn, s, bind_text(s, 1, arn, SQLITE_OK), false,
	    "iam policy delete")) == STATUS_OK &&
	    (st = stmt_get(txn, S_POLICY_DELETE, &s)) == STATUS_OK)
		st = stmt_done(txn, s, bind_text(s, 1, arn, SQLITE_OK), true,
		    "iam policy delete");
	return store_sqlite_savepoint_end(txn, st);
}

static enum status
sqlite_iam_policy_list(void *txn, const struct iam_list_query *q,
    bool only_attached, struct iam_policy_record **out, size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_POLICY_LIST, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, q->account_id, SQLITE_OK);
	rc = bind_text(s, 2, q->path_prefix, rc);
	rc = bind_text(s, 3, q->after_name, rc);
	rc = bind_int64(s, 4, only_attached ? 1 : 0, rc);
	rc = bind_int64(s, 5, (int64_t)q->limit, rc);
	return rows_collect(txn, s, rc, sizeof(**out), policy_read,
	    policies_free, (void **)out, count, "iam policy list");
}

/* ---- policy versions ---- */

static enum status
version_read(sqlite3_stmt *s, void *record)
{
	struct iam_policy_version_record *r = record;
	enum status	 st;

	if ((st = column_text(s, 0, &r->policy_arn)) != STATUS_OK ||
	    (st = column_text(s, 1, &r->version_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &r->document)) != STATUS_OK)
		return st;
	r->created_at = sqlite3_column_int64(s, 3);
	return STATUS_OK;
}

static void
versions_free(void *records, size_t count)
{
	iam_policy_version_records_free(records, count);
}

static enum status
sqlite_iam_policy_version_put(void *txn,
    const struct iam_policy_version_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = stmt_get(txn, S_VERSION_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->policy_arn, rc);
	rc = bind_text(s, 2, rec->version_id, rc);
	rc = bind_text(s, 3, rec->document, rc);
	rc = bind_int64(s, 4, rec->created_at, rc);
	return stmt_done(txn, s, rc, false, "iam policy version put");
}

static enum status
sqlite_iam_policy_version_get(void *txn, const char *policy_arn,
    const char *version_id, struct iam_policy_version_record *out)
{
	struct iam_policy_version_record rec;
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	memset(&rec, 0, sizeof(rec));
	if ((st = stmt_get(txn, S_VERSION_GET, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, policy_arn, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	if ((st = stmt_row(txn, s, rc, "iam policy version get")) ==
	    STATUS_OK && (st = version_read(s, &rec)) == STATUS_OK) {
		*out = rec;
		memset(&rec, 0, sizeof(rec));
	}
	stmt_reset(s);
	iam_policy_version_record_cleanup(&rec);
	return st;
}

static enum status
sqlite_iam_policy_version_delete(void *txn, const char *policy_arn,
    const char *version_id)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_VERSION_DELETE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, policy_arn, SQLITE_OK);
	rc = bind_text(s, 2, version_id, rc);
	return stmt_done(txn, s, rc, true, "iam policy version delete");
}

static enum status
sqlite_iam_policy_version_list(void *txn, const char *policy_arn,
    struct iam_policy_version_record **out, size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = stmt_get(txn, S_VERSION_LIST, &s)) != STATUS_OK)
		return st;
	return rows_collect(txn, s, bind_text(s, 1, policy_arn, SQLITE_OK),
	    sizeof(**out), version_read, versions_free, (void **)out, count,
	    "iam policy version list");
}

/* ---- attachments ---- */

static enum status
attachment_statement(void *txn, enum iam_stmt id, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_arn,
    bool must_change)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, id, &s)) != STATUS_OK)
		return st;
	rc = bind_key(s, account_id, kind, entity_name);
	rc = bind_text(s, 4, policy_arn, rc);
	return stmt_done(txn, s, rc, must_change, "iam attachment");
}

static enum status
sqlite_iam_attachment_put(void *txn, enum iam_kind kind, const char *account_id,
    const char *entity_name, const char *policy_arn)
{
	return attachment_statement(txn, S_ATTACHMENT_PUT, kind, account_id,
	    entity_name, policy_arn, false);
}

static enum status
sqlite_iam_attachment_delete(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, const char *policy_arn)
{
	return attachment_statement(txn, S_ATTACHMENT_DELETE, kind, account_id,
	    entity_name, policy_arn, true);
}

static enum status
string_read(sqlite3_stmt *s, void *record)
{
	return column_text(s, 0, record);
}

static void
strings_free(void *records, size_t count)
{
	iam_strings_free(records, count);
}

static enum status
sqlite_iam_attachment_list(void *txn, enum iam_kind kind,
    const char *account_id, const char *entity_name, char ***arns,
    size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = stmt_get(txn, S_ATTACHMENT_LIST, &s)) != STATUS_OK)
		return st;
	return rows_collect(txn, s, bind_key(s, account_id, kind, entity_name),
	    sizeof(char *), string_read, strings_free, (void **)arns, count,
	    "iam attachment list");
}

/* ---- tags ---- */

static enum status
sqlite_iam_tags_put(void *txn, enum iam_kind kind, const char *account_id,
    const char *name, const struct tag *tags, size_t count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = store_sqlite_savepoint_begin(txn)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < count && st == STATUS_OK; i++) {
		if ((st = stmt_get(txn, S_TAG_PUT, &s)) != STATUS_OK)
			break;
		rc = bind_key(s, account_id, kind, name);
		rc = bind_text(s, 4, tags[i].key, rc);
		rc = bind_text(s, 5, tags[i].value, rc);
		st = stmt_done(txn, s, rc, false, "iam tag put");
	}
	return store_sqlite_savepoint_end(txn, st);
}

static enum status
sqlite_iam_tags_delete(void *txn, enum iam_kind kind, const char *account_id,
    const char *name, const char *const *keys, size_t count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = store_sqlite_savepoint_begin(txn)) != STATUS_OK)
		return st;
	for (size_t i = 0; i < count && st == STATUS_OK; i++) {
		if ((st = stmt_get(txn, S_TAG_DELETE, &s)) != STATUS_OK)
			break;
		rc = bind_key(s, account_id, kind, name);
		rc = bind_text(s, 4, keys[i], rc);
		st = stmt_done(txn, s, rc, false, "iam tag delete");
	}
	return store_sqlite_savepoint_end(txn, st);
}

static enum status
tag_read(sqlite3_stmt *s, void *record)
{
	struct tag	*t = record;
	enum status	 st;

	if ((st = column_text(s, 0, &t->key)) != STATUS_OK)
		return st;
	return column_text(s, 1, &t->value);
}

static void
tag_rows_free(void *records, size_t count)
{
	tags_free(records, count);
}

static enum status
sqlite_iam_tags_get(void *txn, enum iam_kind kind, const char *account_id,
    const char *name, struct tag **out, size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;

	if ((st = stmt_get(txn, S_TAGS_GET, &s)) != STATUS_OK)
		return st;
	return rows_collect(txn, s, bind_key(s, account_id, kind, name),
	    sizeof(struct tag), tag_read, tag_rows_free, (void **)out, count,
	    "iam tags get");
}

/* ---- sessions ---- */

static enum status
sqlite_iam_session_put(void *txn, const struct iam_session_record *rec)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc = SQLITE_OK;

	if ((st = stmt_get(txn, S_SESSION_PUT, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, rec->access_key_id, rc);
	rc = bind_text(s, 2, rec->account_id, rc);
	rc = bind_text(s, 3, rec->type, rc);
	rc = bind_text(s, 4, rec->arn, rc);
	rc = bind_text(s, 5, rec->user_id, rc);
	rc = bind_text(s, 6, rec->user_name, rc);
	rc = bind_text(s, 7, rec->role_arn, rc);
	rc = bind_text(s, 8, rec->role_name, rc);
	rc = bind_text(s, 9, rec->role_id, rc);
	rc = bind_text(s, 10, rec->session_name, rc);
	rc = bind_text(s, 11, rec->source_identity, rc);
	rc = bind_text(s, 12, rec->source_access_key_id, rc);
	rc = bind_int64(s, 13, rec->is_account_administrator ? 1 : 0, rc);
	rc = bind_blob(s, 14, rec->wrapped_secret, rec->wrapped_secret_len, rc);
	rc = bind_text(s, 15, rec->token_hash, rc);
	rc = bind_text(s, 16, rec->policy, rc);
	rc = bind_int64(s, 17, rec->created_at, rc);
	rc = bind_int64(s, 18, rec->expires_at, rc);
	return stmt_done(txn, s, rc, false, "iam session put");
}

static enum status
session_read(sqlite3_stmt *s, struct iam_session_record *r)
{
	enum status	 st;

	if ((st = column_text(s, 0, &r->access_key_id)) != STATUS_OK ||
	    (st = column_text(s, 1, &r->account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &r->type)) != STATUS_OK ||
	    (st = column_text(s, 3, &r->arn)) != STATUS_OK ||
	    (st = column_text(s, 4, &r->user_id)) != STATUS_OK ||
	    (st = column_text(s, 5, &r->user_name)) != STATUS_OK ||
	    (st = column_text(s, 6, &r->role_arn)) != STATUS_OK ||
	    (st = column_text(s, 7, &r->role_name)) != STATUS_OK ||
	    (st = column_text(s, 8, &r->role_id)) != STATUS_OK ||
	    (st = column_text(s, 9, &r->session_name)) != STATUS_OK ||
	    (st = column_text(s, 10, &r->source_identity)) != STATUS_OK ||
	    (st = column_text(s, 11, &r->source_access_key_id)) != STATUS_OK ||
	    (st = column_blob(s, 13, &r->wrapped_secret,
	    &r->wrapped_secret_len)) != STATUS_OK ||
	    (st = column_text(s, 14, &r->token_hash)) != STATUS_OK ||
	    (st = column_text(s, 15, &r->policy)) != STATUS_OK)
		return st;
	r->is_account_administrator = sqlite3_column_int64(s, 12) != 0;
	r->created_at = sqlite3_column_int64(s, 16);
	r->expires_at = sqlite3_column_int64(s, 17);
	return STATUS_OK;
}

static enum status
sqlite_iam_session_get(void *txn, const char *access_key_id,
    struct iam_session_record *out)
{
	struct iam_session_record rec;
	sqlite3_stmt	*s;
	enum status	 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = stmt_get(txn, S_SESSION_GET, &s)) != STATUS_OK)
		return st;
	if ((st = stmt_row(txn, s, bind_text(s, 1, access_key_id, SQLITE_OK),
	    "iam session get")) == STATUS_OK &&
	    (st = session_read(s, &rec)) == STATUS_OK) {
		*out = rec;
		memset(&rec, 0, sizeof(rec));
	}
	stmt_reset(s);
	iam_session_record_cleanup(&rec);
	return st;
}

/* (access key id, account) of an expired session. */
static enum status
expired_read(sqlite3_stmt *s, void *record)
{
	struct tag	*t = record;	/* key: the id, value: the account */

	return tag_read(s, t);
}

static enum status
session_remove(void *txn, const struct tag *expired)
{
	static const enum iam_stmt steps[] = { S_SESSION_TAGS_DELETE,
	    S_SESSION_ATTACHMENTS_DELETE };
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((st = stmt_get(txn, steps[i], &s)) != STATUS_OK)
			return st;
		rc = bind_text(s, 1, expired->value, SQLITE_OK);
		rc = bind_text(s, 2, expired->key, rc);
		if ((st = stmt_done(txn, s, rc, false, "iam session purge")) !=
		    STATUS_OK)
			return st;
	}
	if ((st = stmt_get(txn, S_SESSION_DELETE, &s)) != STATUS_OK)
		return st;
	return stmt_done(txn, s, bind_text(s, 1, expired->key, SQLITE_OK),
	    false, "iam session purge");
}

static enum status
sqlite_iam_session_purge(void *txn, int64_t before_ms, size_t limit,
    size_t *removed)
{
	struct tag	*expired = NULL;
	sqlite3_stmt	*s;
	size_t		 n = 0;
	enum status	 st;
	int		 rc;

	*removed = 0;
	if (limit == 0)
		return STATUS_OK;
	if ((st = stmt_get(txn, S_SESSION_EXPIRED, &s)) != STATUS_OK)
		return st;
	rc = bind_int64(s, 1, before_ms, SQLITE_OK);
	rc = bind_int64(s, 2, (int64_t)limit, rc);
	if ((st = rows_collect(txn, s, rc, sizeof(*expired), expired_read,
	    tag_rows_free, (void **)&expired, &n, "iam session purge")) !=
	    STATUS_OK)
		return st;
	if ((st = store_sqlite_savepoint_begin(txn)) == STATUS_OK) {
		for (size_t i = 0; i < n && st == STATUS_OK; i++)
			st = session_remove(txn, &expired[i]);
		st = store_sqlite_savepoint_end(txn, st);
	}
	if (st == STATUS_OK)
		*removed = n;
	tags_free(expired, n);
	return st;
}

static enum status
sqlite_iam_session_delete(void *txn, const char *account_id,
    const char *access_key_id)
{
	struct tag	 session;
	enum status	 st;

	session.key = (char *)access_key_id;
	session.value = (char *)account_id;
	if ((st = store_sqlite_savepoint_begin(txn)) != STATUS_OK)
		return st;
	st = session_remove(txn, &session);
	return store_sqlite_savepoint_end(txn, st);
}

/* ---- access keys of one owner ---- */

static enum status
key_read(sqlite3_stmt *s, void *record)
{
	struct access_key_record *r = record;
	enum status	 st;

	if ((st = column_text(s, 0, &r->access_key_id)) != STATUS_OK ||
	    (st = column_text(s, 1, &r->account_id)) != STATUS_OK ||
	    (st = column_text(s, 2, &r->principal_arn)) != STATUS_OK ||
	    (st = column_text(s, 3, &r->user_name)) != STATUS_OK ||
	    (st = column_text(s, 4, &r->user_id)) != STATUS_OK)
		return st;
	r->is_active = sqlite3_column_int64(s, 5) != 0;
	r->created_at = sqlite3_column_int64(s, 6);
	return STATUS_OK;
}

static void
keys_free(void *records, size_t count)
{
	access_key_records_free(records, count);
}

static enum status
sqlite_access_key_list_by_owner(void *txn, const char *account_id,
    const char *user_name, const char *user_id,
    struct access_key_record **out, size_t *count)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_KEYS_BY_OWNER, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, account_id, SQLITE_OK);
	rc = bind_text(s, 2, user_name, rc);
	rc = bind_text(s, 3, user_id, rc);
	return rows_collect(txn, s, rc, sizeof(**out), key_read, keys_free,
	    (void **)out, count, "access key list");
}

static enum status
sqlite_access_key_set_active(void *txn, const char *access_key_id,
    bool is_active)
{
	sqlite3_stmt	*s;
	enum status	 st;
	int		 rc;

	if ((st = stmt_get(txn, S_KEY_SET_ACTIVE, &s)) != STATUS_OK)
		return st;
	rc = bind_text(s, 1, access_key_id, SQLITE_OK);
	rc = bind_int64(s, 2, is_active ? 1 : 0, rc);
	return stmt_done(txn, s, rc, true, "access key update");
}

_Static_assert(S__COUNT <= STORE_SQLITE_EXTRA_STMTS,
    "store_sqlite.c keeps too few statement slots for the IAM tables");

const struct store_iam_backend store_iam_backend_sqlite = {
	.entity_put = sqlite_iam_entity_put,
	.entity_get = sqlite_iam_entity_get,
	.entity_update = sqlite_iam_entity_update,
	.entity_delete = sqlite_iam_entity_delete,
	.entity_list = sqlite_iam_entity_list,
	.member_put = sqlite_iam_member_put,
	.member_delete = sqlite_iam_member_delete,
	.member_list = sqlite_iam_member_list,
	.inline_policy_put = sqlite_iam_inline_policy_put,
	.inline_policy_get = sqlite_iam_inline_policy_get,
	.inline_policy_delete = sqlite_iam_inline_policy_delete,
	.inline_policy_list = sqlite_iam_inline_policy_list,
	.policy_put = sqlite_iam_policy_put,
	.policy_get = sqlite_iam_policy_get,
	.policy_update = sqlite_iam_policy_update,
	.policy_delete = sqlite_iam_policy_delete,
	.policy_list = sqlite_iam_policy_list,
	.policy_version_put = sqlite_iam_policy_version_put,
	.policy_version_get = sqlite_iam_policy_version_get,
	.policy_version_delete = sqlite_iam_policy_version_delete,
	.policy_version_list = sqlite_iam_policy_version_list,
	.attachment_put = sqlite_iam_attachment_put,
	.attachment_delete = sqlite_iam_attachment_delete,
	.attachment_list = sqlite_iam_attachment_list,
	.tags_put = sqlite_iam_tags_put,
	.tags_delete = sqlite_iam_tags_delete,
	.tags_get = sqlite_iam_tags_get,
	.session_put = sqlite_iam_session_put,
	.session_get = sqlite_iam_session_get,
	.session_purge = sqlite_iam_session_purge,
	.session_delete = sqlite_iam_session_delete,
	.access_key_list_by_owner = sqlite_access_key_list_by_owner,
	.access_key_set_active = sqlite_access_key_set_active,
};
