/*
 * core.h: the rules of secrets, independent of HTTP and JSON.
 *
 * Names and ARNs, versions and staging labels, deletion windows, the
 * accounts and access keys that own them.  core/ reads and writes through
 * store/ and seals values through crypto/; it never sees a request's bytes.
 *
 * Every operation runs in one store transaction.  Authorisation is a hook:
 * once an operation knows the exact resource it acts on, it asks
 * req->authorize, so the decision is made about the record the operation
 * will touch, inside the same transaction.
 *
 * Thread-safety: all functions are reentrant; a struct core_request belongs
 * to one request.
 */
#ifndef SESAME_CORE_H
#define SESAME_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "crypto/crypto.h"
#include "store/store.h"

#define ACCOUNT_ID_LEN		12
#define SECRET_NAME_MAX		512
#define SECRET_VALUE_MAX	65536
#define SECRET_ARN_SUFFIX_LEN	6
#define STAGE_CURRENT		"AWSCURRENT"
#define STAGE_PREVIOUS		"AWSPREVIOUS"
#define STAGE_PENDING		"AWSPENDING"
#define DEFAULT_KMS_ALIAS	"alias/aws/secretsmanager"
#define MS_PER_DAY		(86400LL * 1000)

struct core_env {
	struct store	*store;
	struct keyring	*keyring;
};

/* Decide whether the caller may do req->action on resource_arn, owned by
 * resource_account_id.  Returns STATUS_OK or STATUS_ACCESS_DENIED (with the
 * message set in err). */
typedef enum status (*core_authorize_fn)(void *arg, const char *action,
    const char *resource_arn, const char *resource_account_id,
    struct error *err);

struct core_request {
	const struct core_env	*env;
	const char		*account_id;	/* the caller's account */
	const char		*region;	/* from the credential scope */
	int64_t			 now_ms;
	const char		*action;	/* "secretsmanager:GetSecretValue" */
	core_authorize_fn	 authorize;
	void			*authorize_arg;
	/* Filled by the operation for the audit record. */
	char			 resource_arn[2048];
	/* Set when the request asked for a secret scheduled for deletion
	 * (the audit event carries an alarm). */
	bool			 is_deleted_secret_access;
};

/* InvalidRequestException for an operation on a secret scheduled for
 * deletion; sets req->is_deleted_secret_access. */
enum status	 core_deleted_secret_error(struct core_request *req,
		    struct error *err);

/* ---- names and ARNs (arn.c) ---- */

/* STATUS_VALIDATION with AWS's message when name breaks the rules. */
enum status	 secret_name_validate(const char *name, struct error *err);
/* arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX; malloc'd. */
char		*secret_arn_build(const char *region, const char *account_id,
		    const char *name, const char *suffix);

struct arn_parts {
	char	partition[16];
	char	service[32];
	char	region[64];
	char	account_id[16];
	char	resource[2048];		/* everything after the 5th colon */
};

/* Split an ARN into its parts.  STATUS_INVALID_PARAMETER if it is not one. */
enum status	 arn_parse(const char *arn, struct arn_parts *out);

/* ---- secret values ---- */

struct secret_value_input {
	bool			 is_present;
	bool			 is_binary;
	struct secret_buf	*value;		/* borrowed */
};

struct replica_input {
	const char	*region;
	const char	*kms_key_id;		/* NULL: the region's default */
};

struct secret_create_input {
	const char		*name;
	const char		*description;	/* NULL: none */
	const char		*kms_key_id;	/* NULL: the default key */
	const char		*client_request_token;	/* NULL: generate */
	struct secret_value_input value;
	const struct tag	*tags;
	size_t			 tag_count;
	const struct replica_input *replicas;	/* AddReplicaRegions */
	size_t			 replica_count;
	bool			 force_overwrite_replica;
};

struct secret_write_output {
	char	*arn;
	char	*name;
	char	*version_id;		/* NULL when no version was written */
	char	**stages;		/* labels on that version */
	size_t	 stage_count;
	struct replica_record *replicas;	/* CreateSecret with replicas */
	size_t	 replica_count;
};

void		 secret_write_output_cleanup(struct secret_write_output *out);

enum status	 core_secret_create(struct core_request *req,
		    const struct secret_create_input *in,
		    struct secret_write_output *out, struct error *err);

struct secret_put_input {
	const char		*secret_id;
	const char		*client_request_token;
	struct secret_value_input value;
	const char *const	*stages;	/* NULL: AWSCURRENT */
	size_t			 stage_count;
};

enum status	 core_secret_put_value(struct core_request *req,
		    const struct secret_put_input *in,
		    struct secret_write_output *out, struct error *err);

struct secret_update_input {
	const char		*secret_id;
	const char		*client_request_token;
	bool			 has_description;
	const char		*description;
	const char		*kms_key_id;	/* NULL: unchanged */
	struct secret_value_input value;
};

enum status	 core_secret_update(struct core_request *req,
		    const struct secret_update_input *in,
		    struct secret_write_output *out, struct error *err);

struct secret_value_output {
	struct secret_record	 secret;
	struct version_record	 version;	/* without the sealed blobs */
	struct secret_buf	*value;		/* the plaintext */
};

void		 secret_value_output_cleanup(struct secret_value_output *out);

enum status	 core_secret_get_value(struct core_request *req,
		    const char *secret_id, const char *version_id,
		    const char *version_stage, struct secret_value_output *out,
		    struct error *err);

struct secret_description {
	struct secret_record	 secret;
	struct tag		*tags;
	size_t			 tag_count;
	struct version_record	*versions;	/* newest first, without blobs */
	size_t			 version_count;
	struct replica_record	*replicas;	/* of a primary; NULL otherwise */
	size_t			 replica_count;
};

void		 secret_description_cleanup(struct secret_description *d);

enum status	 core_secret_describe(struct core_request *req,
		    const char *secret_id, struct secret_description *out,
		    struct error *err);

enum secret_filter_key {
	SECRET_FILTER_DESCRIPTION,
	SECRET_FILTER_NAME,
	SECRET_FILTER_TAG_KEY,
	SECRET_FILTER_TAG_VALUE,
	SECRET_FILTER_PRIMARY_REGION,
	SECRET_FILTER_OWNING_SERVICE,
	SECRET_FILTER_ALL,
};

struct secret_filter {
	enum secret_filter_key	 key;
	const char *const	*values;	/* '!' prefix negates */
	size_t			 value_count;
};

struct secret_list_input {
	bool			 include_planned_deletion;
	size_t			 max_results;	/* 1..100 */
	const char		*next_token;	/* NULL: first page */
	const struct secret_filter *filters;
	size_t			 filter_count;
	bool			 is_descending;	/* newest first */
};

struct secret_list_output {
	struct secret_description *items;
	size_t			 item_count;
	char			*next_token;	/* NULL: last page */
};

void		 secret_list_output_cleanup(struct secret_list_output *out);

/* Does the secret (with its tags loaded) pass every filter? */
bool		 secret_filters_match(const struct secret_description *d,
		    const struct secret_filter *filters, size_t filter_count);

enum status	 core_secret_list(struct core_request *req,
		    const struct secret_list_input *in,
		    struct secret_list_output *out, struct error *err);

struct secret_delete_input {
	const char	*secret_id;
	bool		 has_recovery_window;
	int64_t		 recovery_window_days;
	bool		 force_delete_without_recovery;
};

struct secret_delete_output {
	char	*arn;
	char	*name;
	int64_t	 deletion_date;
};

enum status	 core_secret_delete(struct core_request *req,
		    const struct secret_delete_input *in,
		    struct secret_delete_output *out, struct error *err);
enum status	 core_secret_restore(struct core_request *req,
		    const char *secret_id, struct secret_delete_output *out,
		    struct error *err);
void		 secret_delete_output_cleanup(struct secret_delete_output *out);

struct secret_stage_input {
	const char	*secret_id;
	const char	*version_stage;
	const char	*move_to_version_id;	/* NULL: only remove */
	const char	*remove_from_version_id;
};

/* UpdateSecretVersionStage; out gets the ARN and name. */
enum status	 core_secret_update_stage(struct core_request *req,
		    const struct secret_stage_input *in,
		    struct secret_delete_output *out, struct error *err);

struct secret_versions_input {
	const char	*secret_id;
	bool		 include_deprecated;
	size_t		 max_results;
	const char	*next_token;
};

struct secret_versions_output {
	struct secret_record	 secret;
	struct version_record	*versions;	/* newest first, no blobs */
	size_t			 version_count;
	char			*next_token;
};

void		 secret_versions_output_cleanup(struct secret_versions_output *o);
enum status	 core_secret_list_versions(struct core_request *req,
		    const struct secret_versions_input *in,
		    struct secret_versions_output *out, struct error *err);

/* Remove deprecated versions beyond the 100 most recent that are older
 * than 24 hours. */
enum status	 core_versions_prune(struct core_request *req,
		    struct store_txn *txn, int64_t secret_id);

/* ---- replication to other regions (replication.c) ---- */

struct replication_output {
	char			*arn;
	struct replica_record	*replicas;
	size_t			 replica_count;
};

void		 replication_output_cleanup(struct replication_output *out);
enum status	 core_secret_replicate(struct core_request *req,
		    const char *secret_id, const struct replica_input *regions,
		    size_t count, bool overwrite, struct replication_output *out,
		    struct error *err);
enum status	 core_secret_remove_regions(struct core_request *req,
		    const char *secret_id, const char *const *regions,
		    size_t count, struct replication_output *out,
		    struct error *err);
/* Promote a replica (named in its own region) to a standalone secret. */
enum status	 core_secret_stop_replication(struct core_request *req,
		    const char *secret_id, char **arn, struct error *err);
/* Inside a write transaction: bring every replica of primary up to date;
 * add replicas (creating them). */
enum status	 core_replicas_sync(struct core_request *req,
		    struct store_txn *txn, const struct secret_record *primary,
		    struct error *err);
enum status	 core_replicas_add(struct core_request *req,
		    struct store_txn *txn, const struct secret_record *primary,
		    const struct replica_input *regions, size_t count,
		    bool overwrite, struct error *err);
/* InvalidRequestException when secret is a replica (writes go to the
 * primary's region); STATUS_OK otherwise. */
enum status	 core_replica_write_error(struct core_request *req,
		    const struct secret_record *secret, struct error *err);

/* ---- the purge of secrets whose recovery window ended (deletion.c) ---- */

typedef void (*core_purged_fn)(void *arg, const struct secret_record *secret,
    int64_t now_ms);

/* Remove every secret whose deletion date is at or before now_ms; call
 * on_purged (may be NULL) for each after its removal is durable. */
enum status	 core_purge_due(const struct core_env *env, int64_t now_ms,
		    core_purged_fn on_purged, void *arg, size_t *purged);

/* ---- tags (tags.c) ---- */

/* AWS's tag rules: reserved aws: prefix, unique keys, at most 50. */
enum status	 core_tags_validate(const struct tag *tags, size_t count,
		    struct error *err);
enum status	 core_secret_tag(struct core_request *req, const char *secret_id,
		    const struct tag *tags, size_t count, struct error *err);
enum status	 core_secret_untag(struct core_request *req,
		    const char *secret_id, const char *const *keys, size_t count,
		    struct error *err);

/* Resolve a SecretId (name, full ARN or partial ARN) inside txn. */
enum status	 core_secret_resolve(struct core_request *req,
		    struct store_txn *txn, const char *secret_id,
		    struct secret_record *out, struct error *err);

/* ---- KMS keys used by secrets (kms_key.c) ---- */

/* The material of the key that protects new versions of a secret in
 * account_id/region: kms_key_id NULL means that account's
 * aws/secretsmanager key, created on first use when create is set (txn must
 * then be a write transaction).  *key_arn is malloc'd. */
enum status	 core_kms_key_material(struct core_request *req,
		    struct store_txn *txn, const char *account_id,
		    const char *region, const char *kms_key_id, bool create,
		    struct secret_buf **material, char **key_arn,
		    struct error *err);

/* The material of the key (by key ARN) that sealed a stored version.
 * STATUS_DECRYPTION_FAILURE when the key is missing or not enabled. */
enum status	 core_kms_key_material_by_arn(struct core_request *req,
		    struct store_txn *txn, const char *key_arn,
		    struct secret_buf **material, struct error *err);

/* A random (version 4) UUID, lowercase. */
enum status	 core_uuid(char out[37]);

/* ---- accounts and access keys (account.c) ---- */

struct access_key_pair {
	char	 access_key_id[32];
	char	 secret_access_key[64];
};

/* Create an account (random 12-digit id when account_id is NULL) with an
 * administrator access key. */
enum status	 core_account_create(const struct core_env *env,
		    const char *account_id, int64_t now_ms, char out_account_id[16],
		    struct access_key_pair *out_key, struct error *err);
/* Look up an active access key and unwrap its secret (for SigV4).
 * STATUS_NOT_FOUND when unknown or inactive. */
enum status	 core_access_key_lookup(const struct core_env *env,
		    const char *access_key_id, struct access_key_record *rec,
		    struct secret_buf **secret_access_key);
/* Bring in an existing key pair as the account's administrator. */
enum status	 core_access_key_import(const struct core_env *env,
		    const char *account_id, const char *access_key_id,
		    const struct secret_buf *secret_access_key, int64_t now_ms,
		    struct error *err);

#endif
