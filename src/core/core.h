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

struct core_request;

/* Decide whether the caller may do action on resource_arn, owned by
 * resource_account_id; req is the request asking (which may be a copy
 * made for a sub-step: its kms_context and key_policy count).  Returns
 * STATUS_OK or STATUS_ACCESS_DENIED (with the message set in err). */
typedef enum status (*core_authorize_fn)(void *arg,
    const struct core_request *req, const char *action,
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
	/* KMS: set while authorize runs for a kms: action (see struct
	 * kms_context below), NULL otherwise. */
	const struct kms_context *kms_context;
	/* KMS: the policy of the key being authorised (stored, or the
	 * default one), set while authorize runs for a kms: action on a key;
	 * NULL otherwise (nothing then allows: key policies are required). */
	const char		*key_policy;
	/* Secrets: the authorisation facts of the secret named by
	 * secret_access_arn, read in the operation's own transaction, set
	 * while authorize runs for it (NULL: authorize reads them). */
	const struct secret_access_info *secret_access;
	const char		*secret_access_arn;
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
	/* PutSecretValue's RotationToken (NULL: none): when given, it must be
	 * the token of the rotation attempt of this secret that is running
	 * now, else STATUS_ACCESS_DENIED. */
	const char		*rotation_token;
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
	enum store_sort		 sort_by;	/* SortBy */
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

/* ---- resource policies (resource_policy.c) ---- */

struct policy_findings;

struct secret_policy_output {
	char	*arn;
	char	*name;
	char	*policy;		/* GetResourcePolicy; NULL: none */
};

void		 secret_policy_output_cleanup(struct secret_policy_output *out);
/* MALFORMED_POLICY for a document the engine rejects; PUBLIC_POLICY when
 * block_public and the policy grants access to anyone. */
enum status	 core_secret_policy_put(struct core_request *req,
		    const char *secret_id, const char *policy_json,
		    bool block_public, struct secret_policy_output *out,
		    struct error *err);
enum status	 core_secret_policy_get(struct core_request *req,
		    const char *secret_id, struct secret_policy_output *out,
		    struct error *err);
enum status	 core_secret_policy_delete(struct core_request *req,
		    const char *secret_id, struct secret_policy_output *out,
		    struct error *err);
/* secret_id may be NULL (validate without a secret). */
enum status	 core_secret_policy_validate(struct core_request *req,
		    const char *secret_id, const char *policy_json,
		    struct policy_findings *findings, bool *is_valid,
		    struct error *err);

/* What the authoriser needs of a secret: its name, tags (aws:ResourceTag)
 * and resource policy, read by ARN in one read transaction of its own
 * (the operation's transaction may be a writer holding other rows). */
struct secret_access_info {
	char		*name;
	struct tag	*tags;
	size_t		 tag_count;
	char		*policy;		/* JSON; NULL: none */
	/* The primary's region (a replica's; a primary's own). */
	char		*primary_region;
};

void		 secret_access_info_cleanup(struct secret_access_info *info);
/* STATUS_NOT_FOUND when no secret has that ARN (CreateSecret's new ARN),
 * else STATUS_OK or a store failure. */
enum status	 core_secret_access_load(const struct core_env *env,
		    const char *arn, struct secret_access_info *out);
/* The same facts of secret, read in the caller's transaction. */
enum status	 core_secret_access_read(struct store_txn *txn,
		    const struct secret_record *secret,
		    struct secret_access_info *out);

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

/* ======== KMS (kms_key.c, kms_ops.c, kms_root.c) ========
 * KMS keys are symmetric AES-256 keys whose material (one 32-byte key per
 * version; a rotation adds a version, old ones stay for decryption) is
 * wrapped by the root key.  kms_key.c finds keys and seals secret versions
 * under them; kms_ops.c is the KMS API; kms_root.c re-wraps everything a
 * root key protects under a new one. */

#define KMS_STATE_ENABLED		"Enabled"
#define KMS_STATE_DISABLED		"Disabled"
#define KMS_STATE_PENDING_DELETION	"PendingDeletion"
#define KMS_KEY_MANAGER_AWS		"AWS"
#define KMS_KEY_MANAGER_CUSTOMER	"CUSTOMER"
#define KMS_ROTATION_AUTOMATIC		"AUTOMATIC"
#define KMS_ROTATION_ON_DEMAND		"ON_DEMAND"
#define KMS_ROTATION_PERIOD_DEFAULT	365
#define KMS_ON_DEMAND_ROTATIONS_MAX	10
#define KMS_PENDING_WINDOW_MIN		7
#define KMS_PENDING_WINDOW_MAX		30
#define KMS_PENDING_WINDOW_DEFAULT	30
#define KMS_TAGS_MAX			50

/*
 * What a call to KMS carries for the policy engine (read through
 * req->kms_context while authorize runs): kms:ViaService and
 * kms:CallerAccount, and the encryption context (kms:EncryptionContext:*).
 * Calls the secrets service makes on the caller's behalf set via_service
 * to "secretsmanager.<region>.amazonaws.com" and the context
 * {SecretARN, SecretVersionId}; direct KMS API calls leave via_service NULL.
 */
struct kms_context {
	const char			*via_service;
	const char			*caller_account;
	const struct kms_context_pair	*encryption_context;
	size_t				 encryption_context_count;
};

/* ---- keys that protect secrets (kms_key.c) ---- */

/* The current material of the key that protects new versions of a secret
 * in account_id/region: kms_key_id (key id, key ARN, alias name or alias
 * ARN) or, when NULL, that account's aws/secretsmanager key, created on
 * first use when create is set or kms_key_id names its alias (txn must
 * then be a write transaction).
 * STATUS_INVALID_PARAMETER when the key does not exist,
 * STATUS_ENCRYPTION_FAILURE when it is not enabled.  *key_arn is
 * malloc'd. */
enum status	 core_kms_key_material(struct core_request *req,
		    struct store_txn *txn, const char *account_id,
		    const char *region, const char *kms_key_id, bool create,
		    struct secret_buf **material, char **key_arn,
		    struct error *err);

/* The current material of a key by ARN.  STATUS_DECRYPTION_FAILURE when
 * the key is missing or not enabled. */
enum status	 core_kms_key_material_by_arn(struct core_request *req,
		    struct store_txn *txn, const char *key_arn,
		    struct secret_buf **material, struct error *err);

/*
 * Seal a secret version's value under kms_key_id (as core_kms_key_material
 * resolves it): a fresh data key seals the value; the data key is kept as a
 * KMS ciphertext blob of the key's current version with the encryption
 * context {SecretARN, SecretVersionId}.  Asks authorize for
 * kms:GenerateDataKey on the key via the secrets service.  out's buffers
 * are malloc'd (sealed_value_cleanup); *key_arn too.
 * STATUS_ENCRYPTION_FAILURE (disabled or pending-deletion key),
 * STATUS_INVALID_PARAMETER (no such key), STATUS_ACCESS_DENIED.
 */
enum status	 core_kms_version_seal(struct core_request *req,
		    struct store_txn *txn, const char *region,
		    const char *kms_key_id, const struct envelope_aad *aad,
		    const struct secret_buf *plain, struct sealed_value *out,
		    char **key_arn, struct error *err);
/*
 * Open a stored version sealed under the key kms_key_arn (either form:
 * a KMS blob data key, or the first format).  Asks authorize for
 * kms:Decrypt via the secrets service.  STATUS_DECRYPTION_FAILURE when the
 * key is missing, disabled, pending deletion or anything fails to open;
 * STATUS_ACCESS_DENIED.
 */
enum status	 core_kms_version_open(struct core_request *req,
		    struct store_txn *txn, const struct envelope_aad *aad,
		    const char *kms_key_arn, const struct sealed_value *sealed,
		    struct secret_buf **out, struct error *err);
/*
 * Re-wrap the data key of version (with its blobs) of secret under
 * kms_key_id (UpdateSecret with a new KmsKeyId): the value's ciphertext
 * stays, only the data key moves to the new key.  Both keys must be
 * usable; nothing falls back to another key.
 */
enum status	 core_kms_version_rewrap(struct core_request *req,
		    struct store_txn *txn, const struct secret_record *secret,
		    const struct version_record *version, const char *kms_key_id,
		    struct error *err);

/* UpdateSecret with a new KmsKeyId: core_kms_version_rewrap for every
 * version of secret that carries a staging label. */
enum status	 core_kms_secret_rekey(struct core_request *req,
		    struct store_txn *txn, const struct secret_record *secret,
		    const char *kms_key_id, struct error *err);

/* A random (version 4) UUID, lowercase. */
enum status	 core_uuid(char out[37]);
/* The same for a request's or an audit event's id: public, from
 * random_id_bytes (never for tokens or anything secret). */
enum status	 core_request_uuid(char out[37]);

/* ---- the KMS API (kms_ops.c) ----
 * Each operation resolves its key inside one store transaction and asks
 * req->authorize for req->action on the key's ARN (CreateKey, ListKeys,
 * ListAliases and GenerateRandom on "*").  Errors are the KMS statuses of
 * common/status.h with AWS's messages; STATUS_NOT_FOUND is KMS's
 * NotFoundException, STATUS_EXISTS its AlreadyExistsException. */

struct kms_key_info {
	struct kms_key_record	 key;
	struct tag		*tags;		/* ListResourceTags only */
	size_t			 tag_count;
	char			*policy;	/* GetKeyPolicy: the text */
};

void		 kms_key_info_cleanup(struct kms_key_info *info);

struct kms_create_input {
	const char		*description;	/* NULL: "" */
	const char		*policy;	/* NULL: the default policy */
	bool			 bypass_lockout_check;
	const struct tag	*tags;
	size_t			 tag_count;
};

enum status	 core_kms_create_key(struct core_request *req,
		    const struct kms_create_input *in, struct kms_key_info *out,
		    struct error *err);
enum status	 core_kms_describe_key(struct core_request *req,
		    const char *key_id, struct kms_key_info *out,
		    struct error *err);

struct kms_list_output {
	struct kms_key_record	*keys;
	size_t			 key_count;
	struct kms_alias_record	*aliases;
	size_t			 alias_count;
	struct tag		*tags;
	size_t			 tag_count;
	struct kms_key_version_record *versions;
	size_t			 version_count;
	char			*key_arn;	/* aliases: ARNs are built from */
	char			*next_marker;	/* NULL: the last page */
};

void		 kms_list_output_cleanup(struct kms_list_output *out);

/* marker NULL: the first page; limit 1..1000.  STATUS_INVALID_NEXT_TOKEN
 * (InvalidMarkerException) for a marker this server did not hand out. */
enum status	 core_kms_list_keys(struct core_request *req,
		    const char *marker, size_t limit, struct kms_list_output *out,
		    struct error *err);
/* key_id NULL: every alias of the account and region. */
enum status	 core_kms_list_aliases(struct core_request *req,
		    const char *key_id, const char *marker, size_t limit,
		    struct kms_list_output *out, struct error *err);
enum status	 core_kms_list_tags(struct core_request *req, const char *key_id,
		    const char *marker, size_t limit, struct kms_list_output *out,
		    struct error *err);
/* Rotations (versions after the first), oldest first. */
enum status	 core_kms_list_rotations(struct core_request *req,
		    const char *key_id, const char *marker, size_t limit,
		    struct kms_list_output *out, struct error *err);

enum status	 core_kms_set_enabled(struct core_request *req,
		    const char *key_id, bool enabled, struct error *err);
/* has_days false: the default window (30 days). */
enum status	 core_kms_schedule_deletion(struct core_request *req,
		    const char *key_id, bool has_days, int64_t days,
		    struct kms_key_info *out, struct error *err);
/* The key is Disabled afterwards, as on AWS. */
enum status	 core_kms_cancel_deletion(struct core_request *req,
		    const char *key_id, struct kms_key_info *out,
		    struct error *err);

enum status	 core_kms_alias_create(struct core_request *req,
		    const char *alias_name, const char *target_key_id,
		    struct error *err);
enum status	 core_kms_alias_update(struct core_request *req,
		    const char *alias_name, const char *target_key_id,
		    struct error *err);
enum status	 core_kms_alias_delete(struct core_request *req,
		    const char *alias_name, struct error *err);

/* policy_name NULL: "default" (the only one). */
enum status	 core_kms_policy_get(struct core_request *req,
		    const char *key_id, const char *policy_name,
		    struct kms_key_info *out, struct error *err);
/* The caller checked that policy is a JSON policy document; it must also
 * be a key policy the engine accepts (MalformedPolicyDocumentException
 * with the reason) and, unless bypass_lockout_check, still let the caller
 * put the key's policy. */
enum status	 core_kms_policy_put(struct core_request *req,
		    const char *key_id, const char *policy_name,
		    const char *policy, bool bypass_lockout_check,
		    struct error *err);

/* period_days 0: the default (365). */
enum status	 core_kms_rotation_enable(struct core_request *req,
		    const char *key_id, int64_t period_days, struct error *err);
enum status	 core_kms_rotation_disable(struct core_request *req,
		    const char *key_id, struct error *err);
/* out->key carries rotation_period_days / next_rotation_at; *on_demand_at
 * the time of the last on-demand rotation (0: none). */
enum status	 core_kms_rotation_status(struct core_request *req,
		    const char *key_id, struct kms_key_info *out,
		    int64_t *on_demand_at, struct error *err);
/* A new version of the key's material, now.  At most
 * KMS_ON_DEMAND_ROTATIONS_MAX per key (STATUS_LIMIT_EXCEEDED). */
enum status	 core_kms_rotate_now(struct core_request *req,
		    const char *key_id, struct kms_key_info *out,
		    struct error *err);

/* Tags: additions overwrite equal keys. */
enum status	 core_kms_tag(struct core_request *req, const char *key_id,
		    const struct tag *tags, size_t count, struct error *err);
enum status	 core_kms_untag(struct core_request *req, const char *key_id,
		    const char *const *keys, size_t count, struct error *err);

/* Cryptographic operations.  context: the encryption context (AAD).
 * *blob and *key_arn are malloc'd; *plain is a secret_buf. */
enum status	 core_kms_encrypt(struct core_request *req, const char *key_id,
		    const struct kms_context_pair *context, size_t context_count,
		    const struct secret_buf *plain, unsigned char **blob,
		    size_t *blob_len, char **key_arn, struct error *err);
/* key_id NULL: the key the blob names.  STATUS_KMS_INVALID_CIPHERTEXT
 * when the blob does not open; STATUS_KMS_INCORRECT_KEY when key_id is
 * not the blob's key. */
enum status	 core_kms_decrypt(struct core_request *req, const char *key_id,
		    const struct kms_context_pair *context, size_t context_count,
		    const unsigned char *blob, size_t blob_len,
		    struct secret_buf **plain, char **key_arn, struct error *err);

struct kms_reencrypt_input {
	const unsigned char		*blob;
	size_t				 blob_len;
	const char			*source_key_id;		/* may be NULL */
	const struct kms_context_pair	*source_context;
	size_t				 source_context_count;
	const char			*destination_key_id;
	const struct kms_context_pair	*destination_context;
	size_t				 destination_context_count;
};

enum status	 core_kms_reencrypt(struct core_request *req,
		    const struct kms_reencrypt_input *in, unsigned char **blob,
		    size_t *blob_len, char **source_arn, char **destination_arn,
		    struct error *err);
/* A data key of key_len bytes (1..1024) encrypted under key_id; plain NULL
 * for GenerateDataKeyWithoutPlaintext. */
enum status	 core_kms_generate_data_key(struct core_request *req,
		    const char *key_id, const struct kms_context_pair *context,
		    size_t context_count, size_t key_len, struct secret_buf **plain,
		    unsigned char **blob, size_t *blob_len, char **key_arn,
		    struct error *err);
enum status	 core_kms_generate_random(struct core_request *req,
		    size_t len, struct secret_buf **out, struct error *err);

/* The default policy a key gets (and GetKeyPolicy shows while none was
 * put): the account's root may do everything; for an AWS managed key,
 * AWS's policy for aws/secretsmanager.  malloc'd. */
char		*core_kms_default_policy(const struct kms_key_record *key);

/* Background work, for the maintenance loop: delete keys whose deletion
 * date has come and rotate keys whose automatic rotation is due. */
enum status	 core_kms_maintain(const struct core_env *env, int64_t now_ms,
		    size_t *deleted, size_t *rotated);

/* ---- root key rotation (kms_root.c) ----
 * Meta keys of the data folder: META_ROOT_CHECK holds the check blob of the
 * current root key (its header names the generation); while a rotation is
 * under way META_ROOT_PENDING_CHECK holds the next key's check and
 * META_ROOT_PENDING_LINK the next key wrapped under the current one, so
 * every process holding the current key can follow the rotation. */

#define META_ROOT_CHECK		"root_key_check"
#define META_ROOT_PENDING_CHECK	"root_key_pending_check"
#define META_ROOT_PENDING_LINK	"root_key_pending_link"

struct root_rotation_state {
	uint32_t	 current_generation;
	uint32_t	 pending_generation;	/* 0: no rotation under way */
};

/* Read the rotation state (inside txn). */
enum status	 core_root_state(struct store_txn *txn,
		    struct root_rotation_state *out);
/* Bring the keyring up to date with the data folder: add the pending
 * generation through its link (when the keyring holds the current one)
 * and make it the wrap generation.  Used by the keyring hooks. */
enum status	 core_root_keyring_sync(const struct core_env *env);
/* Begin a rotation to next_key (taken over) unless one is under way
 * (then next_key is freed and the pending key is used): writes the pending
 * check and link in one transaction. */
enum status	 core_root_rotation_begin(const struct core_env *env,
		    struct secret_buf *next_key, uint32_t *generation,
		    struct error *err);
/* Re-wrap every row still under an older generation, one row per
 * transaction; crash_after > 0 aborts the process after that many rows
 * (tests).  *rewrapped counts the rows changed. */
enum status	 core_root_rewrap_all(const struct core_env *env,
		    size_t crash_after, size_t *rewrapped, struct error *err);
/* Finish: re-wrap stragglers and swap the checks in one transaction that
 * also destroys the link. */
enum status	 core_root_rotation_finish(const struct core_env *env,
		    struct error *err);
/* The root key of a generation, copied out for the key source to store
 * (rotate-root-key writes the new key file). */
enum status	 core_root_key_export(const struct core_env *env,
		    uint32_t generation, struct secret_buf **out);

/* ======== end of KMS ======== */

/* ---- accounts and access keys (account.c) ---- */

struct access_key_pair {
	char	 access_key_id[32];
	char	 secret_access_key[64];
};

/* Temporary credentials (sts.c): STS sessions, and rotation functions'. */
struct sts_credentials {
	struct access_key_pair key;		/* ASIA + 16, the secret */
	char		*session_token;		/* malloc'd */
	int64_t		 expires_at;
};

/* Wipes the secret and the token. */
void		 sts_credentials_cleanup(struct sts_credentials *c);

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


/* ======== rotation (rotation.c, rotation_state.c, rotation_functions.c) ========
 * The rotation state of a secret is one store row (struct rotation_record):
 * its configuration (function, rules), its schedule (the next window) and
 * the rotation in progress (the pending version, who runs it, the outcome
 * of the last attempt).  core/ keeps the rules of RotateSecret and
 * CancelRotateSecret and the bookkeeping of attempts; rotation/ parses
 * schedules, runs the steps and plugs in through the hooks below, so core
 * never calls rotation/. */

#define ROTATION_STATUS_IN_PROGRESS	"InProgress"
#define ROTATION_STATUS_SUCCEEDED	"Succeeded"
#define ROTATION_STATUS_FAILED		"Failed"
#define ROTATION_STATUS_CANCELLED	"Cancelled"
#define ROTATION_STEP_CREATE		"createSecret"
#define ROTATION_STEP_SET		"setSecret"
#define ROTATION_STEP_TEST		"testSecret"
#define ROTATION_STEP_FINISH		"finishSecret"
/* Function names reserved for the built-in rotators. */
#define ROTATION_BUILTIN_PREFIX		"sesame-builtin-"
/* The user name of the short-lived keys handed to rotation functions. */
#define ROTATION_KEY_USER_NAME		"sesame-rotation"
#define ROTATION_FUNCTION_COMMAND	"command"
#define ROTATION_FUNCTION_URL		"url"
#define MSG_ROTATION_IN_PROGRESS	"A previous rotation isn't complete. " \
					"That rotation will be reattempted."
#define MSG_ROTATION_CANNOT_INVOKE	"Secrets Manager cannot invoke the " \
	"specified Lambda function. Ensure that the function policy grants " \
	"access to the principal secretsmanager.amazonaws.com."

/* RotationRules as given (strings borrowed). */
struct core_rotation_rules {
	int64_t		 after_days;		/* 0: not given */
	const char	*duration;		/* NULL: not given */
	const char	*schedule_expression;	/* NULL: not given */
};

/* What a schedule means from a given moment. */
struct core_rotation_plan {
	int64_t		 next_window_at;	/* 0: no automatic rotation */
	int64_t		 next_window_end_at;
	int64_t		 display_days;		/* AutomaticallyAfterDays shown */
};

/* Parse rules and plan the next window (rotation_plan).  DAYS schedules
 * count from last_rotated_at when set, the others from now_ms.
 * STATUS_INVALID_PARAMETER with AWS's message for rules it refuses. */
typedef enum status (*core_rotation_plan_fn)(void *arg,
    const struct core_rotation_rules *rules, int64_t last_rotated_at,
    int64_t now_ms, struct core_rotation_plan *out, struct error *err);
/* Can lambda_arn rotate secret (rotation_preflight)?  Runs outside any
 * transaction; may read secrets through req (as the caller).
 * rotate_immediately false: no rotation starts now, so the check may try
 * the function (its testSecret step).  *master_arn (malloc'd, or left
 * NULL): the master secret a function may read, kept in the row. */
typedef enum status (*core_rotation_preflight_fn)(void *arg,
    struct core_request *req, const struct secret_record *secret,
    const char *lambda_arn, bool rotate_immediately, char **master_arn,
    struct error *err);

struct core_rotate_input {
	const char			*secret_id;
	const char			*client_request_token;	/* required */
	const char			*lambda_arn;	/* NULL: the stored one */
	const struct core_rotation_rules *rules;	/* NULL: the stored ones */
	bool				 rotate_immediately;
	core_rotation_plan_fn		 plan;
	core_rotation_preflight_fn	 preflight;	/* NULL: none */
	void				*hook_arg;
};

struct core_rotate_output {
	char	*arn;
	char	*name;
	char	*version_id;	/* the rotation's version; NULL: none */
};

void		 core_rotate_output_cleanup(struct core_rotate_output *out);

/*
 * RotateSecret: store the function and rules, turn rotation on, and (when
 * rotate_immediately) start a rotation whose new version is the
 * ClientRequestToken; the scheduler runs it.  The same token again resumes
 * that rotation (a retry); another token while a version other than
 * AWSCURRENT holds AWSPENDING (or a rotation is pending) is
 * InvalidRequestException MSG_ROTATION_IN_PROGRESS.
 */
enum status	 core_secret_rotate(struct core_request *req,
		    const struct core_rotate_input *in,
		    struct core_rotate_output *out, struct error *err);
/* CancelRotateSecret: rotation off (function and rules kept), the rotation
 * in progress abandoned (its version keeps AWSPENDING, as on AWS);
 * out->version_id names that version. */
enum status	 core_secret_cancel_rotation(struct core_request *req,
		    const char *secret_id, struct core_rotate_output *out,
		    struct error *err);
/* The rotation rows of secrets (DescribeSecret, ListSecrets): out[i] is
 * the row of secret_ids[i], or zeroed (secret_id 0) when it has none. */
enum status	 core_rotation_records_get(const struct core_env *env,
		    const int64_t *secret_ids, size_t count,
		    struct rotation_record *out);
/* Every rotation row, for `sesame admin rotation-status` (account_id NULL:
 * all accounts). */
enum status	 core_rotation_list(const struct core_env *env,
		    const char *account_id, struct rotation_record **out,
		    size_t *count);

/* The scheduler's doorbell: RotateSecret rings it after starting a
 * rotation.  Set once at start-up (NULL to clear); thread-safe. */
typedef void (*core_rotation_wake_fn)(void *arg);
void		 core_rotation_wake_set(core_rotation_wake_fn fn, void *arg);

/* ---- what the runner uses (rotation_state.c) ---- */

/* A request the service makes on its own behalf for a secret of
 * account_id: allowed on that account's resources only. */
void		 core_service_request_init(struct core_request *req,
		    const struct core_env *env, const char *account_id,
		    const char *region, const char *action, int64_t now_ms);

/* When the rotation of a window [window_at, window_end_at) starts: a
 * moment inside it drawn from the secret's ARN and the window's start, so
 * it differs between secrets and stays put across restarts and processes
 * (AWS rotates "at a random time within the rotation window").  The last
 * ROTATION_WINDOW_TAIL_MS of the window are left for the rotation to
 * run.  window_at when the window is shorter than that. */
#define ROTATION_WINDOW_TAIL_MS		(15LL * 60 * 1000)
int64_t		 core_rotation_start_at(const char *secret_arn,
		    int64_t window_at, int64_t window_end_at);
/* Is the rotation of row due at now_ms?  A rotation in progress when its
 * next attempt is (retry_at), else when its window's start moment has
 * come (core_rotation_start_at). */
bool		 core_rotation_is_due(const struct rotation_record *row,
		    int64_t now_ms);

/* Is a lease held by owner until until still good at now_ms? */
typedef bool (*core_lease_live_fn)(const char *owner, int64_t until,
    int64_t now_ms);

/* Rows due at now_ms (a rotation pending and due for an attempt, or a
 * window open), at most limit. */
enum status	 core_rotation_due(const struct core_env *env, int64_t now_ms,
		    size_t limit, struct rotation_record **out, size_t *count);

struct core_rotation_claim_input {
	int64_t			 secret_id;
	const char		*owner;		/* this process */
	int64_t			 now_ms;
	int64_t			 lease_until;
	core_lease_live_fn	 lease_is_live;
};

/* One attempt, claimed: nobody else runs this secret's rotation until the
 * lease ends or the attempt is finished. */
struct core_rotation_claim {
	struct rotation_record		 rotation;	/* as claimed */
	char				*secret_name;
	char				*version_id;	/* the rotation's token */
	bool				 is_new;	/* a fresh rotation */
	bool				 is_builtin;	/* a sesame-builtin-* name */
	struct rotation_function_record	 function;	/* external; arn NULL
							 * when unregistered */
	/* External functions: the attempt's temporary credentials, made by
	 * core_rotation_credentials_create. */
	bool				 has_credentials;
	struct sts_credentials		 credentials;
};

void		 core_rotation_claim_cleanup(struct core_rotation_claim *c);
/* Claim the rotation of a secret that is due: reuse the pending version
 * (or adopt a version holding AWSPENDING without AWSCURRENT), else start a
 * new one; delete the credentials of an attempt that died.
 * STATUS_NOT_FOUND when it is not due any more or someone holds a live
 * lease. */
enum status	 core_rotation_claim(const struct core_env *env,
		    const struct core_rotation_claim_input *in,
		    struct core_rotation_claim *out, struct error *err);
/* Mint the attempt's credentials for an external function: a session of
 * user sesame-rotation for c's account, bounded by policy (a session
 * policy, JSON), valid until expires_at; recorded in the rotation row (the
 * attempt's earlier credentials are deleted) and kept in c.
 * STATUS_NOT_FOUND when the rotation was cancelled or is not owner's. */
enum status	 core_rotation_credentials_create(const struct core_env *env,
		    struct core_rotation_claim *c, const char *owner,
		    const char *policy, int64_t now_ms, int64_t expires_at);
/* Credentials like those of an attempt, for RotateSecret's test of a
 * function (RotateImmediately false), bound to no rotation row: the
 * caller deletes them with core_rotation_credentials_delete (they expire
 * at expires_at anyway). */
enum status	 core_rotation_test_credentials_create(
		    const struct core_env *env, const char *account_id,
		    const char *policy, int64_t now_ms, int64_t expires_at,
		    struct sts_credentials *out);
enum status	 core_rotation_credentials_delete(const struct core_env *env,
		    const char *access_key_id);
/* Mark version_id as RotateSecret's test version while the test runs, so
 * a claim in this process does not take its AWSPENDING for a rotation to
 * adopt (core_rotation_test_end unmarks it).  STATUS_LIMIT_EXCEEDED when
 * too many tests run at once. */
enum status	 core_rotation_test_begin(const char *version_id);
void		 core_rotation_test_end(const char *version_id);
/* Record that step was reached (or passed) and extend the lease.
 * STATUS_NOT_FOUND when the rotation was cancelled or is not ours. */
enum status	 core_rotation_progress(const struct core_env *env,
		    int64_t secret_id, const char *owner, const char *version_id,
		    const char *step, int64_t lease_until);

struct core_rotation_outcome {
	bool				 is_success;
	const char			*step;		/* where it ended */
	const char			*error_message;	/* failures */
	int64_t				 now_ms;
	int64_t				 retry_at;	/* failures */
	int64_t				 claimed_at;	/* the claim's now_ms */
	/* Success: the next window (planned from now_ms). */
	const struct core_rotation_plan	*plan;
};

/* End an attempt: on success the rotation is done (LastRotatedDate, next
 * window), on failure it stays pending for retry_at (or at once when
 * RotateSecret asked for a retry while the attempt ran).  The lease is
 * released and access_key_id (may be NULL) deleted either way; when the
 * rotation was cancelled meanwhile only that is done. */
enum status	 core_rotation_finish(const struct core_env *env,
		    int64_t secret_id, const char *owner, const char *version_id,
		    const char *access_key_id,
		    const struct core_rotation_outcome *o);
/* Move the next window (a value written since the last rotation counts as
 * one for AutomaticallyAfterDays). */
enum status	 core_rotation_reschedule(const struct core_env *env,
		    int64_t secret_id, const struct core_rotation_plan *plan,
		    int64_t now_ms);
/* Delete rotation access keys that no live attempt holds. */
enum status	 core_rotation_keys_sweep(const struct core_env *env,
		    int64_t now_ms, core_lease_live_fn lease_is_live);

/* ---- the registry of external functions (rotation_functions.c) ---- */

/* STATUS_INVALID_PARAMETER for a malformed ARN or a reserved name,
 * STATUS_EXISTS when registered. */
enum status	 core_rotation_function_register(const struct core_env *env,
		    const struct rotation_function_record *rec,
		    struct error *err);
enum status	 core_rotation_function_get(const struct core_env *env,
		    const char *arn, struct rotation_function_record *out);
enum status	 core_rotation_function_list(const struct core_env *env,
		    struct rotation_function_record **out, size_t *count);
enum status	 core_rotation_function_remove(const struct core_env *env,
		    const char *arn, struct error *err);
/* Is arn arn:aws:lambda:REGION:ACCOUNT:function:NAME?  *name points into
 * arn. */
bool		 core_lambda_arn_parse(const char *arn, struct arn_parts *parts,
		    const char **name);

/* ======== end of rotation ======== */

/* Wipe and drop the data keys kept by opening secret versions
 * (data_key_cache.c); when the keyring they came from goes. */
void		 data_key_cache_clear(void);

#endif
