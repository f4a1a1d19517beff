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
/* Roll back and free.  NULL is allowed. */
void		 store_rollback(struct store_txn *txn);

/* ---- meta: small key/value facts about the data folder ---- */

/* *value is malloc'd (non-NULL even when empty); free() it.  meta_put
 * replaces any earlier value of key. */
enum status	 store_meta_get(struct store_txn *txn, const char *key,
		    unsigned char **value, size_t *value_len);
enum status	 store_meta_put(struct store_txn *txn, const char *key,
		    const unsigned char *value, size_t value_len);

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

/* ---- KMS keys (material wrapped by the root key) and aliases ---- */

struct kms_key_record {
	char		*key_id;		/* UUID */
	char		*account_id;
	char		*region;
	char		*arn;
	char		*description;		/* may be NULL */
	char		*key_manager;		/* "AWS" or "CUSTOMER" */
	char		*state;			/* "Enabled", "Disabled", ... */
	unsigned char	*wrapped_material;
	size_t		 wrapped_material_len;
	int64_t		 created_at;
};

/* STATUS_EXISTS when the key id or the ARN is taken. */
enum status	 store_kms_key_put(struct store_txn *txn,
		    const struct kms_key_record *rec);
enum status	 store_kms_key_get(struct store_txn *txn, const char *account_id,
		    const char *region, const char *key_id,
		    struct kms_key_record *out);
void		 kms_key_record_cleanup(struct kms_key_record *rec);

/* alias_name includes the "alias/" prefix.  alias_put: STATUS_EXISTS when
 * the alias exists.  alias_get: *key_id is malloc'd; free() it. */
enum status	 store_kms_alias_put(struct store_txn *txn, const char *account_id,
		    const char *region, const char *alias_name, const char *key_id,
		    int64_t created_at);
enum status	 store_kms_alias_get(struct store_txn *txn, const char *account_id,
		    const char *region, const char *alias_name, char **key_id);

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

struct store_list_query {
	const char	*account_id;
	const char	*region;
	bool		 include_deleted;
	int64_t		 after_id;		/* page after this id; 0: first */
	size_t		 limit;			/* rows to return at most */
	bool		 is_descending;		/* newest first; after_id then
						 * means "ids below this one" */
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
void		 secret_record_cleanup(struct secret_record *rec);
void		 secret_records_free(struct secret_record *recs, size_t count);

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
enum status	 store_version_delete(struct store_txn *txn, int64_t secret_id,
		    const char *version_id);
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
	enum status	(*version_delete)(void *, int64_t, const char *);
	enum status	(*stage_move)(void *, int64_t, const char *, const char *);
	enum status	(*stage_remove)(void *, int64_t, const char *, const char *);
};

extern const struct store_backend store_backend_sqlite;

#endif
