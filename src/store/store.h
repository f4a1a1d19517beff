/*
 * store.h: everything that must survive a restart goes through this one
 * interface, in transactions.
 *
 * The front-end (store.c) checks arguments and dispatches to a backend
 * (store_sqlite.c today; store_postgres.c later) through struct
 * store_backend.  The store never sees a key or a plaintext: values arrive
 * sealed, key material arrives wrapped.
 *
 * Thread-safety: a struct store is shared by all threads; a struct
 * store_txn belongs to the thread that began it.  A write transaction is
 * durable when store_commit returns STATUS_OK.
 *
 * Records: strings are malloc'd and owned by the record; *_cleanup frees
 * them (and wipes nothing: nothing here is plaintext).  Lookups return
 * STATUS_NOT_FOUND when nothing matches; inserts return STATUS_EXISTS on a
 * uniqueness conflict.  Timestamps are Unix milliseconds; 0 means "unset".
 */
#ifndef SESAME_STORE_H
#define SESAME_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct store;
struct store_txn;

struct store_config {
	const char	*backend;	/* "sqlite" */
	const char	*path;		/* sqlite: database file */
};

enum status	 store_open(const struct store_config *cfg, struct store **out,
		    struct error *err);
void		 store_close(struct store *st);

/* Begin a transaction.  A write transaction takes the write lock at once
 * (SQLite BEGIN IMMEDIATE), so it never fails on upgrade later. */
enum status	 store_begin(struct store *st, bool write, struct store_txn **out);
/* Commit and free the transaction (also on failure). */
enum status	 store_commit(struct store_txn *txn);
/* A counter bumped after each write transaction of this process ends
 * (committed, failed or rolled back), once its outcome is visible: a
 * value read before a read transaction begins and unchanged afterwards
 * proves that nothing read has changed since.  Any thread. */
uint64_t	 store_write_generation(struct store *st);
/* The write generation read just before txn began: while
 * store_write_generation still returns it, what txn reads may be kept
 * and served instead of read again (a read transaction's, never a write
 * transaction's, which sees its own changes). */
uint64_t	 store_txn_generation(const struct store_txn *txn);
bool		 store_txn_is_write(const struct store_txn *txn);
/* Roll back and free.  NULL is allowed. */
void		 store_rollback(struct store_txn *txn);

/* ---- meta: small key/value facts about the data folder ---- */

/* *value is malloc'd (non-NULL even when empty); free() it.  meta_put
 * replaces any earlier value of key. */
enum status	 store_meta_get(struct store_txn *txn, const char *key,
		    unsigned char **value, size_t *value_len);
enum status	 store_meta_put(struct store_txn *txn, const char *key,
		    const unsigned char *value, size_t value_len);
/* Remove key (no error when it is absent). */
enum status	 store_meta_delete(struct store_txn *txn, const char *key);

/* ---- accounts ---- */

/* STATUS_EXISTS when the account exists. */
enum status	 store_account_put(struct store_txn *txn, const char *account_id,
		    int64_t created_at);
enum status	 store_account_exists(struct store_txn *txn,
		    const char *account_id);	/* OK or NOT_FOUND */

/* ---- access keys (the secret access key is wrapped by the root key) ---- */

struct access_key_record {
	char		*access_key_id;
	char		*account_id;
	char		*principal_arn;		/* arn:aws:iam::ACCOUNT:user/NAME */
	char		*user_name;
	char		*user_id;		/* AIDA... unique id */
	unsigned char	*wrapped_secret;
	size_t		 wrapped_secret_len;
	bool		 is_active;
	int64_t		 created_at;
};

/* STATUS_EXISTS when the id is taken; STATUS_NOT_FOUND when the account
 * does not exist. */
enum status	 store_access_key_put(struct store_txn *txn,
		    const struct access_key_record *rec);
enum status	 store_access_key_get(struct store_txn *txn,
		    const char *access_key_id, struct access_key_record *out);
void		 access_key_record_cleanup(struct access_key_record *rec);

/* ---- KMS keys, their material versions, aliases and tags ----
 * Key material is kept per version (a rotation adds one; older versions
 * stay to decrypt what they sealed), each wrapped by the root key; the
 * wrapped blob records the root key generation that wrapped it. */

struct kms_key_record {
	char		*key_id;		/* UUID */
	char		*account_id;
	char		*region;
	char		*arn;
	char		*description;		/* may be NULL */
	char		*key_manager;		/* "AWS" or "CUSTOMER" */
	char		*state;			/* "Enabled", "Disabled",
						 * "PendingDeletion" */
	char		*policy;		/* NULL: the default policy */
	int64_t		 created_at;
	int64_t		 deletion_date;		/* PendingDeletion: when; else 0 */
	int64_t		 pending_window_days;
	int64_t		 rotation_period_days;	/* 0: no automatic rotation */
	int64_t		 next_rotation_at;	/* 0: none due */
	int64_t		 current_version;	/* the material that encrypts */
};

/* STATUS_EXISTS when the key id or the ARN is taken. */
enum status	 store_kms_key_put(struct store_txn *txn,
		    const struct kms_key_record *rec);
enum status	 store_kms_key_get(struct store_txn *txn, const char *account_id,
		    const char *region, const char *key_id,
		    struct kms_key_record *out);
/* Rewrites description, state, policy, the deletion and rotation fields
 * and current_version of rec->key_id.  STATUS_NOT_FOUND when missing. */
enum status	 store_kms_key_update(struct store_txn *txn,
		    const struct kms_key_record *rec);
/* Removes the key with its versions, tags and aliases. */
enum status	 store_kms_key_delete(struct store_txn *txn, const char *key_id);
/* Keys of an account and region in key id order, after after_key_id
 * (NULL: from the first), at most limit. */
enum status	 store_kms_key_list(struct store_txn *txn, const char *account_id,
		    const char *region, const char *after_key_id, size_t limit,
		    struct kms_key_record **out, size_t *count);
/* Keys of any account with work due at now_ms: pending deletion whose date
 * has come, or enabled with automatic rotation due. */
enum status	 store_kms_key_list_due(struct store_txn *txn, int64_t now_ms,
		    size_t limit, struct kms_key_record **out, size_t *count);
void		 kms_key_record_cleanup(struct kms_key_record *rec);
void		 kms_key_records_free(struct kms_key_record *recs, size_t count);

struct kms_key_version_record {
	char		*key_id;
	int64_t		 version;		/* 1, 2, ... */
	unsigned char	*wrapped_material;	/* wrapped by the root key */
	size_t		 wrapped_material_len;
	int64_t		 created_at;
	char		*rotation_type;		/* NULL (the first), "AUTOMATIC"
						 * or "ON_DEMAND" */
};

/* STATUS_EXISTS when (key_id, version) exists, NOT_FOUND when the key
 * does not. */
enum status	 store_kms_key_version_put(struct store_txn *txn,
		    const struct kms_key_version_record *rec);
enum status	 store_kms_key_version_get(struct store_txn *txn,
		    const char *key_id, int64_t version,
		    struct kms_key_version_record *out);
/* All versions of a key, oldest first. */
enum status	 store_kms_key_version_list(struct store_txn *txn,
		    const char *key_id, struct kms_key_version_record **out,
		    size_t *count);
void		 kms_key_version_record_cleanup(
		    struct kms_key_version_record *rec);
void		 kms_key_version_records_free(
		    struct kms_key_version_record *recs, size_t count);

/* alias_name includes the "alias/" prefix.  alias_put: STATUS_EXISTS when
 * the alias exists.  alias_get: *key_id is malloc'd; free() it. */
enum status	 store_kms_alias_put(struct store_txn *txn, const char *account_id,
		    const char *region, const char *alias_name, const char *key_id,
		    int64_t created_at);
enum status	 store_kms_alias_get(struct store_txn *txn, const char *account_id,
		    const char *region, const char *alias_name, char **key_id);

struct kms_alias_record {
	char		*alias_name;
	char		*key_id;
	int64_t		 created_at;
	int64_t		 updated_at;
};

/* Point an existing alias at key_id.  STATUS_NOT_FOUND when missing (also
 * for alias_delete). */
enum status	 store_kms_alias_update(struct store_txn *txn,
		    const char *account_id, const char *region,
		    const char *alias_name, const char *key_id, int64_t now_ms);
enum status	 store_kms_alias_delete(struct store_txn *txn,
		    const char *account_id, const char *region,
		    const char *alias_name);
/* Aliases in name order (of key_id only, unless NULL), after after_alias
 * (NULL: from the first), at most limit. */
enum status	 store_kms_alias_list(struct store_txn *txn,
		    const char *account_id, const char *region, const char *key_id,
		    const char *after_alias, size_t limit,
		    struct kms_alias_record **out, size_t *count);
void		 kms_alias_records_free(struct kms_alias_record *recs,
		    size_t count);

/* Replace the key's tags (struct tag, below) with tags[0..count). */
struct tag;
enum status	 store_kms_tags_put(struct store_txn *txn, const char *key_id,
		    const struct tag *tags, size_t count);
/* Tags in key order; free with tags_free. */
enum status	 store_kms_tags_get(struct store_txn *txn, const char *key_id,
		    struct tag **out, size_t *count);

/* ---- rows wrapped by the root key (root key rotation) ---- */

enum root_wrapped_kind {
	ROOT_WRAPPED_KMS_MATERIAL,	/* kms_key_versions.wrapped_material */
	ROOT_WRAPPED_ACCESS_KEY,	/* access_keys.wrapped_secret */
	ROOT_WRAPPED_SESSION_KEY,	/* iam_sessions.wrapped_secret (STS) */
};

struct root_wrapped_record {
	enum root_wrapped_kind	 kind;
	char			*id;		/* key id / access key id */
	int64_t			 version;	/* KMS material version; 0 */
	char			*arn;		/* the KMS key's ARN; NULL */
	unsigned char		*wrapped;
	size_t			 wrapped_len;
};

/* Rows of one kind ordered by (id, version), after (after_id,
 * after_version) (after_id NULL: from the first), at most limit. */
enum status	 store_root_wrapped_list(struct store_txn *txn,
		    enum root_wrapped_kind kind, const char *after_id,
		    int64_t after_version, size_t limit,
		    struct root_wrapped_record **out, size_t *count);
/* Replace the blob of rec's row if it still holds old_wrapped
 * (STATUS_NOT_FOUND otherwise: the row changed or went). */
enum status	 store_root_wrapped_update(struct store_txn *txn,
		    const struct root_wrapped_record *rec,
		    const unsigned char *old_wrapped, size_t old_wrapped_len);
void		 root_wrapped_records_free(struct root_wrapped_record *recs,
		    size_t count);

/* ---- secrets ---- */

struct secret_record {
	int64_t		 id;			/* assigned by the store */
	char		*account_id;
	char		*region;
	char		*name;
	char		*arn;
	char		*description;		/* NULL: none */
	char		*kms_key_id;		/* NULL: the account's default key */
	int64_t		 created_at;
	int64_t		 last_changed_at;
	int64_t		 last_accessed_at;	/* day granularity; 0: never */
	int64_t		 deleted_at;		/* 0: not scheduled for deletion */
	int64_t		 deletion_date;		/* when the purge may remove it */
	char		*primary_arn;		/* a replica's primary; else NULL */
};

struct tag {
	char		*key;
	char		*value;
};

/* Sets rec->id.  STATUS_EXISTS when (account, region, name) is taken. */
enum status	 store_secret_insert(struct store_txn *txn,
		    struct secret_record *rec);
enum status	 store_secret_get_by_name(struct store_txn *txn,
		    const char *account_id, const char *region, const char *name,
		    struct secret_record *out);
enum status	 store_secret_get_by_arn(struct store_txn *txn, const char *arn,
		    struct secret_record *out);
/* Rewrites every mutable column of the row rec->id: description,
 * kms_key_id and the timestamps but created_at.  STATUS_NOT_FOUND when
 * there is no such row (also for secret_delete and version_delete). */
enum status	 store_secret_update(struct store_txn *txn,
		    const struct secret_record *rec);
/* Removes the secret with its versions, stages and tags. */
enum status	 store_secret_delete(struct store_txn *txn, int64_t secret_id);

enum store_sort {
	STORE_SORT_CREATED,		/* creation order: the id */
	STORE_SORT_NAME,
	STORE_SORT_CHANGED,		/* last_changed_at */
	STORE_SORT_ACCESSED,		/* last_accessed_at */
};

struct store_list_query {
	const char	*account_id;
	const char	*region;
	bool		 include_deleted;
	int64_t		 after_id;		/* page after this id; 0: first */
	size_t		 limit;			/* rows to return at most */
	bool		 is_descending;		/* newest first; after_id then
						 * means "ids below this one" */
	enum store_sort	 sort_by;		/* with created: id order */
	const char	*after_name;		/* STORE_SORT_NAME: last name */
	int64_t		 after_value;		/* time sorts: last value */
};

/* Secrets in ascending (or descending) id order.  *out is a malloc'd array of *count
 * records; free with secret_records_free. */
enum status	 store_secret_list(struct store_txn *txn,
		    const struct store_list_query *q, struct secret_record **out,
		    size_t *count);
/* Secrets of any account whose deletion date is at or before now_ms, oldest
 * first, at most limit of them. */
enum status	 store_secret_list_due(struct store_txn *txn, int64_t now_ms,
		    size_t limit, struct secret_record **out, size_t *count);
/* Secrets stored (scheduled for deletion included), per account: fn once
 * per account. */
typedef void (*store_count_fn)(void *arg, const char *account_id,
    int64_t count);
enum status	 store_secret_counts(struct store_txn *txn, store_count_fn fn,
		    void *arg);
void		 secret_record_cleanup(struct secret_record *rec);
void		 secret_records_free(struct secret_record *recs, size_t count);

/* ---- resource policies of secrets (JSON text, as given) ---- */

/* Insert or replace.  *policy from get is malloc'd; NOT_FOUND: none. */
enum status	 store_secret_policy_put(struct store_txn *txn, int64_t secret_id,
		    const char *policy, int64_t now_ms);
enum status	 store_secret_policy_get(struct store_txn *txn, int64_t secret_id,
		    char **policy);
/* OK also when there was none. */
enum status	 store_secret_policy_delete(struct store_txn *txn,
		    int64_t secret_id);

/* ---- replicas: rows on a primary secret, one per replica region ---- */

struct replica_record {
	int64_t		 secret_id;		/* the primary */
	char		*region;
	char		*kms_key_id;		/* NULL: that region's default */
	char		*status;		/* InSync, Failed, InProgress */
	char		*status_message;	/* NULL: none */
	int64_t		 created_at;
};

/* Insert or replace the row (secret_id, region). */
enum status	 store_replica_put(struct store_txn *txn,
		    const struct replica_record *rec);
/* Rows of a primary in region order; free with replica_records_free. */
enum status	 store_replica_list(struct store_txn *txn, int64_t secret_id,
		    struct replica_record **out, size_t *count);
enum status	 store_replica_delete(struct store_txn *txn, int64_t secret_id,
		    const char *region);
void		 replica_records_free(struct replica_record *recs, size_t count);

/* Replace the secret's tags with tags[0..count); all or nothing.
 * STATUS_EXISTS when a key repeats, STATUS_NOT_FOUND when the secret does
 * not exist. */
enum status	 store_tags_put(struct store_txn *txn, int64_t secret_id,
		    const struct tag *tags, size_t count);
/* Tags in key order; free with tags_free. */
enum status	 store_tags_get(struct store_txn *txn, int64_t secret_id,
		    struct tag **out, size_t *count);
void		 tags_free(struct tag *tags, size_t count);

/* ---- versions and staging labels ---- */

struct version_record {
	int64_t		 secret_id;
	char		*version_id;
	int64_t		 created_at;
	int64_t		 last_accessed_at;
	bool		 is_binary;
	char		*kms_key_arn;		/* the key that wrapped the data key */
	unsigned char	*ciphertext;
	size_t		 ciphertext_len;
	unsigned char	*wrapped_key;
	size_t		 wrapped_key_len;
	char		**stages;		/* labels on this version */
	size_t		 stage_count;
};

/* STATUS_EXISTS when the secret already has this version id,
 * STATUS_NOT_FOUND when the secret does not exist.  Each label in
 * rec->stages is moved onto the new version (as store_stage_move); all or
 * nothing. */
enum status	 store_version_insert(struct store_txn *txn,
		    const struct version_record *rec);
/* With or without the sealed value (with_value false leaves the blobs
 * NULL: listing and describing never read ciphertext). */
enum status	 store_version_get(struct store_txn *txn, int64_t secret_id,
		    const char *version_id, bool with_value,
		    struct version_record *out);
enum status	 store_version_get_by_stage(struct store_txn *txn,
		    int64_t secret_id, const char *stage, bool with_value,
		    struct version_record *out);
/* All versions of a secret, newest first, without values. */
enum status	 store_version_list(struct store_txn *txn, int64_t secret_id,
		    struct version_record **out, size_t *count);
/* The versions a prune may consider: those after the newest keep, created
 * at or before created_at_most; newest first, without values.  One query
 * however many versions the secret has (every write prunes). */
enum status	 store_version_list_prunable(struct store_txn *txn,
		    int64_t secret_id, size_t keep, int64_t created_at_most,
		    struct version_record **out, size_t *count);
enum status	 store_version_delete(struct store_txn *txn, int64_t secret_id,
		    const char *version_id);
/* Replace a version's wrapped data key and the KMS key that wrapped it
 * (the value's ciphertext is unchanged).  STATUS_NOT_FOUND when missing. */
enum status	 store_version_rewrap(struct store_txn *txn, int64_t secret_id,
		    const char *version_id, const char *kms_key_arn,
		    const unsigned char *wrapped_key, size_t wrapped_key_len);
void		 version_record_cleanup(struct version_record *rec);
void		 version_records_free(struct version_record *recs, size_t count);

/* Put label stage on version_id, taking it off whichever version held it
 * (a label lives on at most one version of a secret).  STATUS_NOT_FOUND
 * when version_id does not exist; nothing moves then. */
enum status	 store_stage_move(struct store_txn *txn, int64_t secret_id,
		    const char *stage, const char *version_id);
/* Remove label stage from version_id; NOT_FOUND if it was not there. */
enum status	 store_stage_remove(struct store_txn *txn, int64_t secret_id,
		    const char *stage, const char *version_id);

/* ---- rotation of secrets (one row per secret ever configured) ---- */

struct rotation_record {
	int64_t		 secret_id;
	bool		 is_enabled;
	char		*lambda_arn;		/* RotationLambdaARN; NULL: none */
	int64_t		 after_days;		/* AutomaticallyAfterDays as given; 0 */
	int64_t		 display_days;		/* ... as DescribeSecret shows it */
	char		*duration;		/* "3h"; NULL: the default window */
	char		*schedule_expression;	/* NULL: none */
	int64_t		 last_rotated_at;	/* 0: never */
	int64_t		 next_window_at;	/* 0: no automatic rotation */
	int64_t		 next_window_end_at;
	/* The rotation in progress (also after a failed attempt, until it
	 * completes or is cancelled); NULL: none. */
	char		*pending_version_id;
	char		*rotation_token;	/* of the current attempt */
	char		*step;			/* last step reached */
	char		*status;		/* NULL: never ran; InProgress, ... */
	char		*last_error;		/* NULL: none */
	int64_t		 attempt_count;
	int64_t		 started_at;		/* of the rotation in progress */
	int64_t		 retry_at;		/* the next attempt is due */
	char		*lease_owner;		/* who runs it now; NULL: nobody */
	int64_t		 lease_until;
	char		*access_key_id;		/* the attempt's key; NULL: none */
	int64_t		 updated_at;
	/* The master secret (full ARN) a rotation function may read, from
	 * AWSCURRENT's "masterarn" when RotateSecret configured it; NULL:
	 * none. */
	char		*master_arn;
	/* Read from the secret by get and list (put ignores them). */
	char		*secret_arn;
	char		*account_id;
	char		*region;
	int64_t		 secret_deleted_at;
	int64_t		 current_created_at;	/* AWSCURRENT's version; 0: none */
};

struct store_rotation_query {
	const char	*account_id;		/* NULL: every account */
	int64_t		 due_at;		/* 0: every row; else only rows
						 * due at this time (pending
						 * with retry_at <= due_at, or
						 * else enabled with a window
						 * open by then) of live
						 * secrets */
	int64_t		 after_secret_id;	/* page after this id */
	size_t		 limit;
};

/* STATUS_NOT_FOUND when the secret never had rotation configured. */
enum status	 store_rotation_get(struct store_txn *txn, int64_t secret_id,
		    struct rotation_record *out);
/* Insert or replace the row of rec->secret_id (STATUS_NOT_FOUND when the
 * secret does not exist).  The row goes with its secret. */
enum status	 store_rotation_put(struct store_txn *txn,
		    const struct rotation_record *rec);
/* Rows in secret id order; free with rotation_records_free. */
enum status	 store_rotation_list(struct store_txn *txn,
		    const struct store_rotation_query *q,
		    struct rotation_record **out, size_t *count);
void		 rotation_record_cleanup(struct rotation_record *rec);
void		 rotation_records_free(struct rotation_record *recs,
		    size_t count);

/* External rotation functions, by Lambda-style ARN. */
struct rotation_function_record {
	char		*arn;		/* arn:aws:lambda:R:A:function:NAME */
	char		*kind;		/* "command" or "url" */
	char		*target;	/* absolute path, or http:// URL */
	int64_t		 timeout_seconds;	/* per step; 0: the default */
	int64_t		 created_at;
};

/* STATUS_EXISTS when the ARN is registered. */
enum status	 store_rotation_function_put(struct store_txn *txn,
		    const struct rotation_function_record *rec);
enum status	 store_rotation_function_get(struct store_txn *txn,
		    const char *arn, struct rotation_function_record *out);
enum status	 store_rotation_function_list(struct store_txn *txn,
		    struct rotation_function_record **out, size_t *count);
enum status	 store_rotation_function_delete(struct store_txn *txn,
		    const char *arn);
void		 rotation_function_record_cleanup(
		    struct rotation_function_record *rec);
void		 rotation_function_records_free(
		    struct rotation_function_record *recs, size_t count);

/* Access keys made for one purpose (rotation functions' short-lived
 * keys): remove one (STATUS_NOT_FOUND when missing), or list the keys of a
 * user name (without their wrapped secrets), oldest first. */
enum status	 store_access_key_delete(struct store_txn *txn,
		    const char *access_key_id);
enum status	 store_access_key_list_by_user(struct store_txn *txn,
		    const char *user_name, struct access_key_record **out,
		    size_t *count);
void		 access_key_records_free(struct access_key_record *recs,
		    size_t count);

/* ---- IAM: users, groups, roles, managed policies, STS sessions ----
 * Users, groups and roles are "entities" of one table, told apart by
 * kind.  Names of entities, policies and tag keys compare without regard to
 * case, as IAM's do, and are kept as given.  Every row belongs to an
 * account.  The backend fills struct store_iam_backend (below); the
 * front-end is store_iam.c. */

enum iam_kind {
	IAM_KIND_USER,
	IAM_KIND_GROUP,
	IAM_KIND_ROLE,
	IAM_KIND_POLICY,		/* tags of managed policies */
	IAM_KIND_SESSION,		/* tags and policy ARNs of sessions */
};

struct iam_entity_record {
	enum iam_kind	 kind;			/* USER, GROUP or ROLE */
	char		*account_id;
	char		*name;
	char		*id;			/* AIDA..., AGPA..., AROA... */
	char		*path;			/* "/" or "/a/b/" */
	char		*arn;
	int64_t		 created_at;
	char		*permissions_boundary;	/* users, roles; NULL: none */
	char		*trust_policy;		/* roles: the trust policy */
	char		*description;		/* roles; NULL: none */
	int64_t		 max_session_seconds;	/* roles */
};

/* A page of names in name order (case-insensitive). */
struct iam_list_query {
	const char	*account_id;
	const char	*path_prefix;		/* NULL: any path */
	const char	*after_name;		/* NULL: from the first */
	size_t		 limit;
};

/* STATUS_EXISTS when the name (of that kind, in the account) or the id is
 * taken; STATUS_NOT_FOUND when the account does not exist. */
enum status	 store_iam_entity_put(struct store_txn *txn,
		    const struct iam_entity_record *rec);
enum status	 store_iam_entity_get(struct store_txn *txn, enum iam_kind kind,
		    const char *account_id, const char *name,
		    struct iam_entity_record *out);
/* Rewrites permissions_boundary, trust_policy, description and
 * max_session_seconds of (rec->account_id, rec->kind, rec->name). */
enum status	 store_iam_entity_update(struct store_txn *txn,
		    const struct iam_entity_record *rec);
/* Removes the entity with its tags, inline policies, attachments and group
 * memberships. */
enum status	 store_iam_entity_delete(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id, const char *name);
enum status	 store_iam_entity_list(struct store_txn *txn, enum iam_kind kind,
		    const struct iam_list_query *q, struct iam_entity_record **out,
		    size_t *count);
void		 iam_entity_record_cleanup(struct iam_entity_record *rec);
void		 iam_entity_records_free(struct iam_entity_record *recs,
		    size_t count);

/* Group membership.  member_put: STATUS_EXISTS when already a member;
 * member_delete: STATUS_NOT_FOUND when not one.  member_list: with kind
 * USER the users of group `name`, with kind GROUP the groups of user
 * `name`, as entity records in name order (q->path_prefix is ignored). */
enum status	 store_iam_member_put(struct store_txn *txn,
		    const char *account_id, const char *group_name,
		    const char *user_name);
enum status	 store_iam_member_delete(struct store_txn *txn,
		    const char *account_id, const char *group_name,
		    const char *user_name);
enum status	 store_iam_member_list(struct store_txn *txn, enum iam_kind kind,
		    const char *name, const struct iam_list_query *q,
		    struct iam_entity_record **out, size_t *count);

/* Inline policies of an entity (kind USER, GROUP or ROLE).  put replaces
 * a policy of the same name; get: *document is malloc'd; delete:
 * STATUS_NOT_FOUND when missing; list: name order, documents included. */
struct iam_inline_policy_record {
	char		*name;
	char		*document;
};

enum status	 store_iam_inline_policy_put(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *policy_name,
		    const char *document);
enum status	 store_iam_inline_policy_get(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *policy_name,
		    char **document);
enum status	 store_iam_inline_policy_delete(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *policy_name);
enum status	 store_iam_inline_policy_list(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *after_name, size_t limit,
		    struct iam_inline_policy_record **out, size_t *count);
void		 iam_inline_policy_records_free(
		    struct iam_inline_policy_record *recs, size_t count);

/* Customer managed policies, by ARN. */
struct iam_policy_record {
	char		*arn;
	char		*account_id;
	char		*name;
	char		*id;			/* ANPA... */
	char		*path;
	char		*description;		/* NULL: none */
	char		*default_version;	/* "v1" */
	int64_t		 next_version;		/* the number CreatePolicyVersion
						 * gives next */
	int64_t		 created_at;
	int64_t		 updated_at;
	/* Read by get and list (put and update ignore them). */
	int64_t		 attachment_count;
	int64_t		 boundary_count;	/* entities it bounds */
};

/* STATUS_EXISTS when the ARN or (account, name) is taken. */
enum status	 store_iam_policy_put(struct store_txn *txn,
		    const struct iam_policy_record *rec);
enum status	 store_iam_policy_get(struct store_txn *txn, const char *arn,
		    struct iam_policy_record *out);
/* Rewrites default_version, next_version and updated_at. */
enum status	 store_iam_policy_update(struct store_txn *txn,
		    const struct iam_policy_record *rec);
/* Removes the policy with its versions and tags. */
enum status	 store_iam_policy_delete(struct store_txn *txn, const char *arn);
/* Policies of q->account_id in name order; only_attached: those attached
 * to at least one entity. */
enum status	 store_iam_policy_list(struct store_txn *txn,
		    const struct iam_list_query *q, bool only_attached,
		    struct iam_policy_record **out, size_t *count);
void		 iam_policy_record_cleanup(struct iam_policy_record *rec);
void		 iam_policy_records_free(struct iam_policy_record *recs,
		    size_t count);

struct iam_policy_version_record {
	char		*policy_arn;
	char		*version_id;		/* "v3" */
	char		*document;
	int64_t		 created_at;
};

/* STATUS_EXISTS when the version exists, NOT_FOUND when the policy does
 * not.  list: newest first. */
enum status	 store_iam_policy_version_put(struct store_txn *txn,
		    const struct iam_policy_version_record *rec);
enum status	 store_iam_policy_version_get(struct store_txn *txn,
		    const char *policy_arn, const char *version_id,
		    struct iam_policy_version_record *out);
enum status	 store_iam_policy_version_delete(struct store_txn *txn,
		    const char *policy_arn, const char *version_id);
enum status	 store_iam_policy_version_list(struct store_txn *txn,
		    const char *policy_arn,
		    struct iam_policy_version_record **out, size_t *count);
void		 iam_policy_version_record_cleanup(
		    struct iam_policy_version_record *rec);
void		 iam_policy_version_records_free(
		    struct iam_policy_version_record *recs, size_t count);

/* Managed policies attached to an entity (kind USER, GROUP, ROLE) or
 * given to a session (kind SESSION, name: its access key id).
 * attachment_put: STATUS_EXISTS when attached already; delete:
 * STATUS_NOT_FOUND when not attached; list: ARN order, *arns an array of
 * malloc'd strings (free with iam_strings_free). */
enum status	 store_iam_attachment_put(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *policy_arn);
enum status	 store_iam_attachment_delete(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, const char *policy_arn);
enum status	 store_iam_attachment_list(struct store_txn *txn,
		    enum iam_kind kind, const char *account_id,
		    const char *entity_name, char ***arns, size_t *count);
void		 iam_strings_free(char **strings, size_t count);

/* Tags of an entity, a managed policy (by name) or a session (by access
 * key id).  put adds each tag or replaces the value (and the spelling) of
 * a key already there; delete ignores keys that are not there; get: key
 * order, free with tags_free. */
enum status	 store_iam_tags_put(struct store_txn *txn, enum iam_kind kind,
		    const char *account_id, const char *name,
		    const struct tag *tags, size_t count);
enum status	 store_iam_tags_delete(struct store_txn *txn, enum iam_kind kind,
		    const char *account_id, const char *name,
		    const char *const *keys, size_t count);
enum status	 store_iam_tags_get(struct store_txn *txn, enum iam_kind kind,
		    const char *account_id, const char *name, struct tag **out,
		    size_t *count);

/* Temporary credentials (AssumeRole, GetSessionToken).  The secret access
 * key is wrapped by the root key (label "session-key:<id>"); the session
 * token is kept only as its SHA-256 (hex).  Its session tags and policy
 * ARNs are tags and attachments of kind SESSION. */
struct iam_session_record {
	char		*access_key_id;		/* ASIA... */
	char		*account_id;
	char		*type;			/* "AssumedRole", "IAMUser" */
	char		*arn;			/* the session's principal */
	char		*user_id;		/* "AROA...:name" or "AIDA..." */
	char		*user_name;		/* IAMUser; NULL otherwise */
	char		*role_arn;		/* AssumedRole; NULL otherwise */
	char		*role_name;
	char		*role_id;
	char		*session_name;
	char		*source_identity;	/* NULL: none */
	char		*source_access_key_id;	/* the key that asked */
	bool		 is_account_administrator;
	unsigned char	*wrapped_secret;
	size_t		 wrapped_secret_len;
	char		*token_hash;
	char		*policy;		/* session policy; NULL: none */
	int64_t		 created_at;
	int64_t		 expires_at;
};

/* STATUS_EXISTS when the access key id is taken. */
enum status	 store_iam_session_put(struct store_txn *txn,
		    const struct iam_session_record *rec);
enum status	 store_iam_session_get(struct store_txn *txn,
		    const char *access_key_id, struct iam_session_record *out);
/* Remove at most limit sessions that expired before before_ms, with
 * their tags and policy ARNs; *removed tells how many went. */
enum status	 store_iam_session_purge(struct store_txn *txn,
		    int64_t before_ms, size_t limit, size_t *removed);
/* Remove one session of account_id with its tags and policy ARNs (an
 * unknown one is no error). */
enum status	 store_iam_session_delete(struct store_txn *txn,
		    const char *account_id, const char *access_key_id);
void		 iam_session_record_cleanup(struct iam_session_record *rec);

/* Long-term access keys of one owner in an account: those with this
 * user name and, unless user_id is NULL, this user id (without their
 * wrapped secrets), oldest first.  set_active: STATUS_NOT_FOUND when the
 * key does not exist. */
enum status	 store_access_key_list_by_owner(struct store_txn *txn,
		    const char *account_id, const char *user_name,
		    const char *user_id, struct access_key_record **out,
		    size_t *count);
enum status	 store_access_key_set_active(struct store_txn *txn,
		    const char *access_key_id, bool is_active);

/* The IAM part of a backend (see struct store_backend's iam). */
struct store_iam_backend {
	enum status	(*entity_put)(void *, const struct iam_entity_record *);
	enum status	(*entity_get)(void *, enum iam_kind, const char *,
			    const char *, struct iam_entity_record *);
	enum status	(*entity_update)(void *,
			    const struct iam_entity_record *);
	enum status	(*entity_delete)(void *, enum iam_kind, const char *,
			    const char *);
	enum status	(*entity_list)(void *, enum iam_kind,
			    const struct iam_list_query *,
			    struct iam_entity_record **, size_t *);
	enum status	(*member_put)(void *, const char *, const char *,
			    const char *);
	enum status	(*member_delete)(void *, const char *, const char *,
			    const char *);
	enum status	(*member_list)(void *, enum iam_kind, const char *,
			    const struct iam_list_query *,
			    struct iam_entity_record **, size_t *);
	enum status	(*inline_policy_put)(void *, enum iam_kind, const char *,
			    const char *, const char *, const char *);
	enum status	(*inline_policy_get)(void *, enum iam_kind, const char *,
			    const char *, const char *, char **);
	enum status	(*inline_policy_delete)(void *, enum iam_kind,
			    const char *, const char *, const char *);
	enum status	(*inline_policy_list)(void *, enum iam_kind, const char *,
			    const char *, const char *, size_t,
			    struct iam_inline_policy_record **, size_t *);
	enum status	(*policy_put)(void *, const struct iam_policy_record *);
	enum status	(*policy_get)(void *, const char *,
			    struct iam_policy_record *);
	enum status	(*policy_update)(void *,
			    const struct iam_policy_record *);
	enum status	(*policy_delete)(void *, const char *);
	enum status	(*policy_list)(void *, const struct iam_list_query *, bool,
			    struct iam_policy_record **, size_t *);
	enum status	(*policy_version_put)(void *,
			    const struct iam_policy_version_record *);
	enum status	(*policy_version_get)(void *, const char *, const char *,
			    struct iam_policy_version_record *);
	enum status	(*policy_version_delete)(void *, const char *,
			    const char *);
	enum status	(*policy_version_list)(void *, const char *,
			    struct iam_policy_version_record **, size_t *);
	enum status	(*attachment_put)(void *, enum iam_kind, const char *,
			    const char *, const char *);
	enum status	(*attachment_delete)(void *, enum iam_kind, const char *,
			    const char *, const char *);
	enum status	(*attachment_list)(void *, enum iam_kind, const char *,
			    const char *, char ***, size_t *);
	enum status	(*tags_put)(void *, enum iam_kind, const char *,
			    const char *, const struct tag *, size_t);
	enum status	(*tags_delete)(void *, enum iam_kind, const char *,
			    const char *, const char *const *, size_t);
	enum status	(*tags_get)(void *, enum iam_kind, const char *,
			    const char *, struct tag **, size_t *);
	enum status	(*session_put)(void *, const struct iam_session_record *);
	enum status	(*session_get)(void *, const char *,
			    struct iam_session_record *);
	enum status	(*session_purge)(void *, int64_t, size_t, size_t *);
	enum status	(*session_delete)(void *, const char *, const char *);
	enum status	(*access_key_list_by_owner)(void *, const char *,
			    const char *, const char *,
			    struct access_key_record **, size_t *);
	enum status	(*access_key_set_active)(void *, const char *, bool);
};

/* ---- backend table (store_<impl>.c fills one) ---- */

struct store_backend {
	const char	*name;
	enum status	(*open)(const struct store_config *, void **handle,
			    struct error *);
	void		(*close)(void *handle);
	enum status	(*begin)(void *handle, bool write, void **txn);
	enum status	(*commit)(void *txn);
	void		(*rollback)(void *txn);

	enum status	(*meta_get)(void *, const char *, unsigned char **, size_t *);
	enum status	(*meta_put)(void *, const char *, const unsigned char *, size_t);
	enum status	(*account_put)(void *, const char *, int64_t);
	enum status	(*account_exists)(void *, const char *);
	enum status	(*access_key_put)(void *, const struct access_key_record *);
	enum status	(*access_key_get)(void *, const char *,
			    struct access_key_record *);
	enum status	(*kms_key_put)(void *, const struct kms_key_record *);
	enum status	(*kms_key_get)(void *, const char *, const char *,
			    const char *, struct kms_key_record *);
	enum status	(*kms_alias_put)(void *, const char *, const char *,
			    const char *, const char *, int64_t);
	enum status	(*kms_alias_get)(void *, const char *, const char *,
			    const char *, char **);
	enum status	(*kms_key_update)(void *, const struct kms_key_record *);
	enum status	(*kms_key_delete)(void *, const char *);
	enum status	(*kms_key_list)(void *, const char *, const char *,
			    const char *, size_t, struct kms_key_record **,
			    size_t *);
	enum status	(*kms_key_list_due)(void *, int64_t, size_t,
			    struct kms_key_record **, size_t *);
	enum status	(*kms_key_version_put)(void *,
			    const struct kms_key_version_record *);
	enum status	(*kms_key_version_get)(void *, const char *, int64_t,
			    struct kms_key_version_record *);
	enum status	(*kms_key_version_list)(void *, const char *,
			    struct kms_key_version_record **, size_t *);
	enum status	(*kms_alias_update)(void *, const char *, const char *,
			    const char *, const char *, int64_t);
	enum status	(*kms_alias_delete)(void *, const char *, const char *,
			    const char *);
	enum status	(*kms_alias_list)(void *, const char *, const char *,
			    const char *, const char *, size_t,
			    struct kms_alias_record **, size_t *);
	enum status	(*kms_tags_put)(void *, const char *, const struct tag *,
			    size_t);
	enum status	(*kms_tags_get)(void *, const char *, struct tag **,
			    size_t *);
	enum status	(*root_wrapped_list)(void *, enum root_wrapped_kind,
			    const char *, int64_t, size_t,
			    struct root_wrapped_record **, size_t *);
	enum status	(*root_wrapped_update)(void *,
			    const struct root_wrapped_record *,
			    const unsigned char *, size_t);
	enum status	(*meta_delete)(void *, const char *);
	enum status	(*version_rewrap)(void *, int64_t, const char *,
			    const char *, const unsigned char *, size_t);
	enum status	(*secret_insert)(void *, struct secret_record *);
	enum status	(*secret_get_by_name)(void *, const char *, const char *,
			    const char *, struct secret_record *);
	enum status	(*secret_get_by_arn)(void *, const char *,
			    struct secret_record *);
	enum status	(*secret_update)(void *, const struct secret_record *);
	enum status	(*secret_delete)(void *, int64_t);
	enum status	(*secret_list)(void *, const struct store_list_query *,
			    struct secret_record **, size_t *);
	enum status	(*secret_list_due)(void *, int64_t, size_t,
			    struct secret_record **, size_t *);
	enum status	(*secret_counts)(void *, store_count_fn, void *);
	enum status	(*secret_policy_put)(void *, int64_t, const char *, int64_t);
	enum status	(*secret_policy_get)(void *, int64_t, char **);
	enum status	(*secret_policy_delete)(void *, int64_t);
	enum status	(*replica_put)(void *, const struct replica_record *);
	enum status	(*replica_list)(void *, int64_t, struct replica_record **,
			    size_t *);
	enum status	(*replica_delete)(void *, int64_t, const char *);
	enum status	(*tags_put)(void *, int64_t, const struct tag *, size_t);
	enum status	(*tags_get)(void *, int64_t, struct tag **, size_t *);
	enum status	(*version_insert)(void *, const struct version_record *);
	enum status	(*version_get)(void *, int64_t, const char *, bool,
			    struct version_record *);
	enum status	(*version_get_by_stage)(void *, int64_t, const char *, bool,
			    struct version_record *);
	enum status	(*version_list)(void *, int64_t, struct version_record **,
			    size_t *);
	enum status	(*version_list_prunable)(void *, int64_t, size_t, int64_t,
			    struct version_record **, size_t *);
	enum status	(*version_delete)(void *, int64_t, const char *);
	enum status	(*stage_move)(void *, int64_t, const char *, const char *);
	enum status	(*stage_remove)(void *, int64_t, const char *, const char *);
	/* rotation */
	enum status	(*rotation_get)(void *, int64_t, struct rotation_record *);
	enum status	(*rotation_put)(void *, const struct rotation_record *);
	enum status	(*rotation_list)(void *, const struct store_rotation_query *,
			    struct rotation_record **, size_t *);
	enum status	(*rotation_function_put)(void *,
			    const struct rotation_function_record *);
	enum status	(*rotation_function_get)(void *, const char *,
			    struct rotation_function_record *);
	enum status	(*rotation_function_list)(void *,
			    struct rotation_function_record **, size_t *);
	enum status	(*rotation_function_delete)(void *, const char *);
	enum status	(*access_key_delete)(void *, const char *);
	enum status	(*access_key_list_by_user)(void *, const char *,
			    struct access_key_record **, size_t *);
	/* IAM users, groups, roles, policies and sessions (store_iam.c). */
	const struct store_iam_backend *iam;
};

extern const struct store_backend store_backend_sqlite;
extern const struct store_iam_backend store_iam_backend_sqlite;

#endif
