/*
 * kms_internal.h: what the KMS files of core/ (kms_key.c, kms_ops.c,
 * kms_root.c) share.
 */
#ifndef SESAME_KMS_INTERNAL_H
#define SESAME_KMS_INTERNAL_H

#include "core/core.h"

/* Label a version's material is wrapped under by the root key: the key
 * ARN for version 1 (as before keys had versions), "ARN#N" after. */
void		 kms_material_label(const char *arn, int64_t version, char *buf,
		    size_t len);

/*
 * Find a key by key id, key ARN, alias name or alias ARN (account and
 * region from the ARN, else the caller's).  A key whose deletion date has
 * come counts as gone.  STATUS_NOT_FOUND (KMS's message),
 * STATUS_KMS_INVALID_ARN.  Does not authorise.
 */
enum status	 kms_key_find(struct core_request *req, struct store_txn *txn,
		    const char *key_id, struct kms_key_record *out,
		    struct error *err);

/*
 * Authorise action (NULL: req->action, noting rec for the audit record) on
 * the key rec, with its key policy (stored or default) in req->key_policy
 * for the engine: a key policy must allow every use of its key, directly
 * or by delegating to the account's identity policies.
 */
enum status	 kms_key_authorize(struct core_request *req,
		    const char *action, const struct kms_key_record *rec,
		    struct error *err);

/*
 * The key by ARN for opening or sealing a secret version: found and
 * enabled, else DecryptionFailure (Secrets Manager's message).
 */
enum status	 kms_key_by_arn_enabled(struct core_request *req,
		    struct store_txn *txn, const char *key_arn,
		    struct kms_key_record *out, struct error *err);

/*
 * What using a key to open a secret version reads of it (kms_key_cache.c):
 * immutable, shared; release each one got.
 */
struct kms_key_facts {
	struct kms_key_record	 rec;		/* enabled */
	const char		*policy;	/* in force: stored or default */
	int64_t			 material_version;	/* 0: none read */
	unsigned char		*wrapped_material;	/* by the root key */
	size_t			 wrapped_material_len;
};

/* kms_key_by_arn_enabled's key with its policy and the wrapped material
 * of its current version; from the cache when txn reads at the
 * generation an entry was read at. */
enum status	 kms_key_facts_get(struct core_request *req,
		    struct store_txn *txn, const char *key_arn,
		    const struct kms_key_facts **out, struct error *err);
void		 kms_key_facts_release(const struct kms_key_facts *facts);

/*
 * Data keys already opened (data_key_cache.c), by what the opening
 * depends on: the KMS key's ARN, the wrapped bytes and the encryption
 * context, all compared byte for byte.  Callers check the key's state and
 * authorise before asking.
 */
struct data_key_id {
	unsigned char	 bytes[4096];
	size_t		 len;		/* 0: not kept (inputs too long) */
	uint64_t	 hash;
};

/* Fill id once for both calls below; false when it is not kept. */
bool		 data_key_id_make(struct data_key_id *id, const char *key_arn,
		    const unsigned char *wrapped, size_t wrapped_len,
		    const struct kms_context_pair *pairs, size_t pair_count);
/* A copy of id's data key, or STATUS_NOT_FOUND. */
enum status	 data_key_cache_get(const struct data_key_id *id,
		    struct secret_buf **out);
/* After a successful opening. */
void		 data_key_cache_put(const struct data_key_id *id,
		    const struct secret_buf *data_key);

/* kms_key_authorize with the key's policy in force already at hand. */
enum status	 kms_key_authorize_policy(struct core_request *req,
		    const char *action, const struct kms_key_record *rec,
		    const char *policy, struct error *err);

/* The material of one version of rec (through the keyring's cache). */
enum status	 kms_material_get(struct core_request *req,
		    struct store_txn *txn, const struct kms_key_record *rec,
		    int64_t version, struct secret_buf **out);

/* Create a key with fresh material as version 1 (txn: write). */
enum status	 kms_key_new(const struct core_env *env, struct store_txn *txn,
		    const char *account_id, const char *region,
		    const char *key_manager, const char *description,
		    const char *policy, int64_t now_ms, struct kms_key_record *out);

/* Create the account's aws/secretsmanager key and its alias (txn:
 * write). */
enum status	 kms_default_key_create(struct core_request *req,
		    struct store_txn *txn, const char *account_id,
		    const char *region, struct kms_key_record *out);

/* Add a version of fresh material and make it current (txn: write). */
enum status	 kms_key_rotate(const struct core_env *env,
		    struct store_txn *txn, struct kms_key_record *rec,
		    const char *rotation_type, int64_t now_ms);

/* Whether rec is usable for cryptography; else the KMS status and message
 * (DisabledException, KMSInvalidStateException). */
enum status	 kms_key_usable(const struct kms_key_record *rec,
		    struct error *err);

#endif
