/*
 * kms_key.c: finding KMS keys, their material, and sealing secret versions
 * under them.
 *
 * A key has one or more versions of material (random 32-byte keys), each
 * wrapped by the root key with the key's ARN (version 1) or "ARN#N" as its
 * label and unwrapped through the keyring's cache.  The newest version
 * encrypts; every version decrypts what it sealed, so a rotation never
 * strands data.
 *
 * A secret version is sealed as AWS's Secrets Manager does it through KMS:
 * a fresh data key seals the value; the data key is kept as a KMS
 * ciphertext blob (crypto/kms_blob.c) made under the secret's key with the
 * encryption context {SecretARN, SecretVersionId}, the same blob
 * GenerateDataKey would return.  Versions written before keys had versions
 * keep their first format (the data key wrapped straight under the
 * material, crypto/envelope.c) and open by trying the key's versions.
 *
 * Each account and region gets the AWS managed key aws/secretsmanager on
 * first use.  A key that is disabled or pending deletion neither seals
 * (EncryptionFailure) nor opens (DecryptionFailure); nothing ever falls
 * back to another key.  Calls made here on behalf of Secrets Manager ask
 * req->authorize for the kms: action with req->kms_context naming the
 * secrets service (kms:ViaService) and the encryption context.
 *
 * Thread-safety: reentrant; state lives in the store and the keyring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/str_copy.h"
#include "core/core.h"
#include "core/core_internal.h"
#include "core/kms_internal.h"

#define MSG_DECRYPT	"Secrets Manager can't decrypt the protected secret " \
			"text using the provided KMS key."
#define MSG_ENCRYPT	"Secrets Manager can't encrypt the protected secret " \
			"text using the provided KMS key. Check that the KMS " \
			"key is available, enabled, and not in an invalid state."
#define MSG_KMS_DENIED	"Access to KMS is not allowed"
#define DEFAULT_KEY_DESCRIPTION	"Default key that protects my Secrets " \
			"Manager data when no other key is defined"

/* A version 4 UUID, lowercase, from 16 bytes drawn by draw. */
static enum status
uuid_v4(char out[37], enum status (*draw)(void *, size_t))
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 b[16];
	size_t		 o = 0;
	enum status	 st;

	if ((st = draw(b, sizeof(b))) != STATUS_OK)
		return st;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	/* By table: snprintf with 16 conversions cost 13,000 instructions,
	 * and every request makes two of these. */
	for (size_t i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
	return STATUS_OK;
}

enum status
core_uuid(char out[37])
{
	return uuid_v4(out, random_bytes);
}

enum status
core_request_uuid(char out[37])
{
	return uuid_v4(out, random_id_bytes);
}

void
kms_material_label(const char *arn, int64_t version, char *buf, size_t len)
{
	if (version <= 1)
		(void)str_copy(buf, len, arn);
	else
		snprintf(buf, len, "%s#%lld", arn, (long long)version);
}

/* ---- creating keys and versions ---- */

static enum status
material_wrap_new(const struct core_env *env, const char *arn,
    int64_t version, unsigned char **out, size_t *out_len)
{
	struct secret_buf	*material = NULL;
	char			 label[2200];
	enum status		 st;

	if ((st = root_key_generate(&material)) != STATUS_OK)
		return st;
	kms_material_label(arn, version, label, sizeof(label));
	st = keyring_wrap(env->keyring, label, material, out, out_len);
	secret_buf_free(material);
	return st;
}

enum status
kms_key_new(const struct core_env *env, struct store_txn *txn,
    const char *account_id, const char *region, const char *key_manager,
    const char *description, const char *policy, int64_t now_ms,
    struct kms_key_record *out)
{
	struct kms_key_record	 rec;
	struct kms_key_version_record v;
	char			 key_id[37];
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&v, 0, sizeof(v));
	if ((st = uuid_v4(key_id, random_bytes)) != STATUS_OK)
		goto out;
	rec.key_id = strdup(key_id);
	rec.account_id = strdup(account_id);
	rec.region = strdup(region);
	rec.description = strdup(description != NULL ? description : "");
	rec.key_manager = strdup(key_manager);
	rec.state = strdup(KMS_STATE_ENABLED);
	rec.policy = policy != NULL ? strdup(policy) : NULL;
	if (asprintf(&rec.arn, "arn:aws:kms:%s:%s:key/%s", region, account_id,
	    key_id) < 0)
		rec.arn = NULL;
	if (rec.key_id == NULL || rec.account_id == NULL || rec.region == NULL ||
	    rec.description == NULL || rec.key_manager == NULL ||
	    rec.state == NULL || rec.arn == NULL ||
	    (policy != NULL && rec.policy == NULL)) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	rec.created_at = now_ms;
	rec.current_version = 1;
	/* AWS rotates its managed keys every year. */
	if (strcmp(key_manager, KMS_KEY_MANAGER_AWS) == 0) {
		rec.rotation_period_days = KMS_ROTATION_PERIOD_DEFAULT;
		rec.next_rotation_at = now_ms + KMS_ROTATION_PERIOD_DEFAULT *
		    MS_PER_DAY;
	}
	if ((st = store_kms_key_put(txn, &rec)) != STATUS_OK)
		goto out;
	v.key_id = rec.key_id;
	v.version = 1;
	v.created_at = now_ms;
	if ((st = material_wrap_new(env, rec.arn, 1, &v.wrapped_material,
	    &v.wrapped_material_len)) != STATUS_OK)
		goto out;
	if ((st = store_kms_key_version_put(txn, &v)) != STATUS_OK)
		goto out;
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	free(v.wrapped_material);
	kms_key_record_cleanup(&rec);
	return st;
}

enum status
kms_key_rotate(const struct core_env *env, struct store_txn *txn,
    struct kms_key_record *rec, const char *rotation_type, int64_t now_ms)
{
	struct kms_key_version_record v;
	enum status		 st;

	memset(&v, 0, sizeof(v));
	v.key_id = rec->key_id;
	v.version = rec->current_version + 1;
	v.created_at = now_ms;
	v.rotation_type = (char *)rotation_type;
	if ((st = material_wrap_new(env, rec->arn, v.version,
	    &v.wrapped_material, &v.wrapped_material_len)) != STATUS_OK)
		goto out;
	if ((st = store_kms_key_version_put(txn, &v)) != STATUS_OK)
		goto out;
	rec->current_version = v.version;
	/* An on-demand rotation leaves the automatic schedule alone. */
	if (strcmp(rotation_type, KMS_ROTATION_AUTOMATIC) == 0)
		rec->next_rotation_at = rec->rotation_period_days > 0 ?
		    now_ms + rec->rotation_period_days * MS_PER_DAY : 0;
	if ((st = store_kms_key_update(txn, rec)) != STATUS_OK)
		goto out;
	log_info("KMS key %s rotated (%s): version %lld", rec->arn,
	    rotation_type, (long long)v.version);
out:
	free(v.wrapped_material);
	return st;
}

/* ---- finding keys ---- */

static bool
key_id_is_uuid(const char *id)
{
	if (strlen(id) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool is_dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (is_dash != (id[i] == '-'))
			return false;
		if (!is_dash && !((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f') ||
		    (id[i] >= 'A' && id[i] <= 'F')))
			return false;
	}
	return true;
}

static bool
key_is_expired(const struct kms_key_record *rec, int64_t now_ms)
{
	return strcmp(rec->state, KMS_STATE_PENDING_DELETION) == 0 &&
	    rec->deletion_date != 0 && rec->deletion_date <= now_ms;
}

/* Lookup in account/region by the forms KMS accepts. */
static enum status
key_find_in(struct store_txn *txn, const char *account_id,
    const char *region, const char *input, int64_t now_ms,
    struct kms_key_record *out, struct error *err)
{
	struct arn_parts parts;
	const char	*id = input;
	char		*alias_key_id = NULL;
	bool		 is_arn = strncmp(input, "arn:", 4) == 0;
	enum status	 st;

	if (is_arn) {
		if (arn_parse(input, &parts) != STATUS_OK ||
		    strcmp(parts.service, "kms") != 0 ||
		    (strncmp(parts.resource, "key/", 4) != 0 &&
		    strncmp(parts.resource, "alias/", 6) != 0))
			return error_set(err, STATUS_KMS_INVALID_ARN,
			    "Invalid arn %s", input);
		if (strcmp(parts.region, region) != 0 ||
		    strcmp(parts.account_id, account_id) != 0)
			return error_set(err, STATUS_NOT_FOUND,
			    "Invalid arn %s", input);
		id = strchr(input, ':');
		for (int i = 0; i < 4 && id != NULL; i++)
			id = strchr(id + 1, ':');
		if (id == NULL)
			return error_set(err, STATUS_KMS_INVALID_ARN,
			    "Invalid arn %s", input);
		id++;
		if (strncmp(id, "key/", 4) == 0)
			id += 4;
	}
	if (strncmp(id, "alias/", 6) == 0) {
		st = store_kms_alias_get(txn, account_id, region, id,
		    &alias_key_id);
		if (st == STATUS_NOT_FOUND)
			return error_set(err, st, "Alias arn:aws:kms:%s:%s:%s "
			    "is not found.", region, account_id, id);
		if (st != STATUS_OK)
			return st;
		id = alias_key_id;
	} else if (!key_id_is_uuid(id)) {
		return error_set(err, STATUS_NOT_FOUND, "Invalid keyId %s",
		    input);
	}
	st = store_kms_key_get(txn, account_id, region, id, out);
	if (st == STATUS_OK && key_is_expired(out, now_ms)) {
		kms_key_record_cleanup(out);
		st = STATUS_NOT_FOUND;
	}
	if (st == STATUS_NOT_FOUND)
		error_set(err, st, "Key 'arn:aws:kms:%s:%s:key/%s' does not "
		    "exist", region, account_id, id);
	free(alias_key_id);
	return st;
}

enum status
kms_key_find(struct core_request *req, struct store_txn *txn,
    const char *key_id, struct kms_key_record *out, struct error *err)
{
	struct arn_parts parts;
	const char	*account_id = req->account_id, *region = req->region;

	/* An ARN names its own account (cross-account use). */
	if (strncmp(key_id, "arn:", 4) == 0 &&
	    arn_parse(key_id, &parts) == STATUS_OK &&
	    strcmp(parts.service, "kms") == 0 &&
	    strcmp(parts.region, region) == 0)
		return key_find_in(txn, parts.account_id, region, key_id,
		    req->now_ms, out, err);
	return key_find_in(txn, account_id, region, key_id, req->now_ms, out,
	    err);
}

enum status
kms_material_get(struct core_request *req, struct store_txn *txn,
    const struct kms_key_record *rec, int64_t version, struct secret_buf **out)
{
	struct kms_key_version_record v;
	char			 label[2200];
	enum status		 st;

	memset(&v, 0, sizeof(v));
	if ((st = store_kms_key_version_get(txn, rec->key_id, version, &v)) !=
	    STATUS_OK)
		goto out;
	kms_material_label(rec->arn, version, label, sizeof(label));
	if ((st = keyring_unwrap_cached(req->env->keyring, label,
	    v.wrapped_material, v.wrapped_material_len, out)) != STATUS_OK) {
		log_error("KMS key %s version %lld does not unwrap under the "
		    "root key", rec->key_id, (long long)version);
		st = STATUS_CORRUPT;
	}
out:
	kms_key_version_record_cleanup(&v);
	return st;
}

enum status
kms_key_usable(const struct kms_key_record *rec, struct error *err)
{
	if (strcmp(rec->state, KMS_STATE_ENABLED) == 0)
		return STATUS_OK;
	if (strcmp(rec->state, KMS_STATE_DISABLED) == 0)
		return error_set(err, STATUS_KMS_DISABLED, "%s is disabled.",
		    rec->arn);
	if (strcmp(rec->state, KMS_STATE_PENDING_DELETION) == 0)
		return error_set(err, STATUS_KMS_INVALID_STATE,
		    "%s is pending deletion.", rec->arn);
	return error_set(err, STATUS_KMS_INVALID_STATE, "%s is %s.", rec->arn,
	    rec->state);
}

/* ---- the keys of Secrets Manager ---- */

enum status
kms_default_key_create(struct core_request *req, struct store_txn *txn,
    const char *account_id, const char *region, struct kms_key_record *out)
{
	struct kms_key_record	 rec;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = kms_key_new(req->env, txn, account_id, region,
	    KMS_KEY_MANAGER_AWS, DEFAULT_KEY_DESCRIPTION, NULL, req->now_ms,
	    &rec)) != STATUS_OK)
		goto out;
	if ((st = store_kms_alias_put(txn, account_id, region,
	    DEFAULT_KMS_ALIAS, rec.key_id, req->now_ms)) != STATUS_OK)
		goto out;
	log_info("created the aws/secretsmanager key %s for account %s in %s",
	    rec.key_id, account_id, region);
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	kms_key_record_cleanup(&rec);
	return st;
}

static bool
names_default_alias(const char *account_id, const char *region,
    const char *kms_key_id)
{
	char	 arn[256];

	if (strcmp(kms_key_id, DEFAULT_KMS_ALIAS) == 0)
		return true;
	snprintf(arn, sizeof(arn), "arn:aws:kms:%s:%s:%s", region, account_id,
	    DEFAULT_KMS_ALIAS);
	return strcmp(kms_key_id, arn) == 0;
}

/*
 * The key a secret in account_id/region is (to be) sealed under.
 * STATUS_INVALID_PARAMETER when it does not exist (AWS's message for a
 * KmsKeyId it cannot use).  The managed key is made on first use when
 * create is set or kms_key_id names its alias (txn: write).
 */
static enum status
secret_key_lookup(struct core_request *req, struct store_txn *txn,
    const char *account_id, const char *region, const char *kms_key_id,
    bool create, struct kms_key_record *out, struct error *err)
{
	struct error	 ignored;
	enum status	 st;

	st = key_find_in(txn, account_id, region, kms_key_id != NULL ?
	    kms_key_id : DEFAULT_KMS_ALIAS, req->now_ms, out, &ignored);
	/* Naming the managed key's alias is asking for it, as on AWS. */
	if (kms_key_id != NULL && names_default_alias(account_id, region,
	    kms_key_id))
		create = true;
	if (st == STATUS_NOT_FOUND && create && (kms_key_id == NULL ||
	    names_default_alias(account_id, region, kms_key_id))) {
		if ((st = kms_default_key_create(req, txn, account_id, region,
		    out)) != STATUS_OK)
			return error_set(err, STATUS_ENCRYPTION_FAILURE,
			    "Secrets Manager can't encrypt the secret value "
			    "with the default KMS key.");
		return STATUS_OK;
	}
	if (st == STATUS_NOT_FOUND || st == STATUS_KMS_INVALID_ARN)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "The KMS key %s doesn't exist or you don't have access to "
		    "it.", kms_key_id != NULL ? kms_key_id : DEFAULT_KMS_ALIAS);
	return st;
}

enum status
kms_key_authorize_policy(struct core_request *req, const char *action,
    const struct kms_key_record *rec, const char *policy, struct error *err)
{
	enum status	 st;

	req->key_policy = policy;
	if (action == NULL)
		st = core_authorize(req, rec->arn, rec->account_id, err);
	else
		st = req->authorize(req->authorize_arg, req, action, rec->arn,
		    rec->account_id, err);
	req->key_policy = NULL;
	return st;
}

enum status
kms_key_authorize(struct core_request *req, const char *action,
    const struct kms_key_record *rec, struct error *err)
{
	char		*fallback = NULL;
	enum status	 st;

	if (rec->policy == NULL &&
	    (fallback = core_kms_default_policy(rec)) == NULL)
		return error_set(err, STATUS_NO_MEMORY, NULL);
	st = kms_key_authorize_policy(req, action, rec,
	    rec->policy != NULL ? rec->policy : fallback, err);
	free(fallback);
	return st;
}

/* Ask authorize for a kms: action the secrets service makes on the
 * caller's behalf, with the context the policy engine will read. */
static enum status
authorize_via_secrets(struct core_request *req, const char *action,
    const struct kms_key_record *rec, const char *policy,
    const struct envelope_aad *aad, struct error *err)
{
	struct kms_context_pair	 pairs[2];
	struct kms_context	 ctx;
	char			 via[128];
	enum status		 st;

	/* Internal callers (no principal) were authorised by their caller. */
	if (req->authorize == NULL)
		return STATUS_OK;
	(void)str_concat(via, sizeof(via), "secretsmanager.", rec->region,
	    ".amazonaws.com", NULL);
	pairs[0].key = "SecretARN";
	pairs[0].value = aad->secret_arn;
	pairs[1].key = "SecretVersionId";
	pairs[1].value = aad->version_id;
	ctx.via_service = via;
	ctx.caller_account = req->account_id;
	ctx.encryption_context = pairs;
	ctx.encryption_context_count = 2;
	req->kms_context = &ctx;
	st = policy != NULL ?
	    kms_key_authorize_policy(req, action, rec, policy, err) :
	    kms_key_authorize(req, action, rec, err);
	req->kms_context = NULL;
	if (st == STATUS_ACCESS_DENIED)
		st = error_set(err, STATUS_ACCESS_DENIED, MSG_KMS_DENIED);
	return st;
}

static void
secret_context(const struct envelope_aad *aad, struct kms_context_pair *pairs)
{
	pairs[0].key = "SecretARN";
	pairs[0].value = aad->secret_arn;
	pairs[1].key = "SecretVersionId";
	pairs[1].value = aad->version_id;
}

enum status
core_kms_key_material(struct core_request *req, struct store_txn *txn,
    const char *account_id, const char *region, const char *kms_key_id,
    bool create, struct secret_buf **material, char **key_arn,
    struct error *err)
{
	struct kms_key_record	 rec;
	struct secret_buf	*m = NULL;
	char			*arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = secret_key_lookup(req, txn, account_id, region, kms_key_id,
	    create, &rec, err)) != STATUS_OK)
		goto out;
	if (strcmp(rec.state, KMS_STATE_ENABLED) != 0) {
		st = error_set(err, STATUS_ENCRYPTION_FAILURE, MSG_ENCRYPT);
		goto out;
	}
	if ((st = kms_material_get(req, txn, &rec, rec.current_version,
	    &m)) != STATUS_OK)
		goto out;
	if ((arn = strdup(rec.arn)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*material = m;
	*key_arn = arn;
	m = NULL;
	arn = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(m);
	free(arn);
	kms_key_record_cleanup(&rec);
	return st;
}

/* The key named by a stored version's key ARN, for opening. */
enum status
kms_key_by_arn_enabled(struct core_request *req, struct store_txn *txn,
    const char *key_arn, struct kms_key_record *out, struct error *err)
{
	struct arn_parts parts;
	struct error	 ignored;
	enum status	 st;

	if (key_arn == NULL || arn_parse(key_arn, &parts) != STATUS_OK ||
	    (st = key_find_in(txn, parts.account_id, parts.region, key_arn,
	    req->now_ms, out, &ignored)) != STATUS_OK)
		return error_set(err, STATUS_DECRYPTION_FAILURE, MSG_DECRYPT);
	if (strcmp(out->state, KMS_STATE_ENABLED) != 0) {
		kms_key_record_cleanup(out);
		return error_set(err, STATUS_DECRYPTION_FAILURE, MSG_DECRYPT);
	}
	return STATUS_OK;
}

enum status
core_kms_key_material_by_arn(struct core_request *req, struct store_txn *txn,
    const char *key_arn, struct secret_buf **material, struct error *err)
{
	struct kms_key_record	 rec;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = kms_key_by_arn_enabled(req, txn, key_arn, &rec, err)) !=
	    STATUS_OK)
		return st;
	st = kms_material_get(req, txn, &rec, rec.current_version, material);
	kms_key_record_cleanup(&rec);
	return st;
}

/* Rotate rec now if its automatic rotation is due (txn: write). */
static enum status
rotate_if_due(struct core_request *req, struct store_txn *txn,
    struct kms_key_record *rec)
{
	if (rec->rotation_period_days <= 0 || rec->next_rotation_at == 0 ||
	    rec->next_rotation_at > req->now_ms)
		return STATUS_OK;
	return kms_key_rotate(req->env, txn, rec, KMS_ROTATION_AUTOMATIC,
	    req->now_ms);
}

/* Wrap data_key for a secret version under rec's current material. */
static enum status
data_key_wrap(struct core_request *req, struct store_txn *txn,
    const struct kms_key_record *rec, const struct envelope_aad *aad,
    const struct secret_buf *data_key, unsigned char **out, size_t *out_len)
{
	struct kms_context_pair	 pairs[2];
	struct secret_buf	*material = NULL;
	enum status		 st;

	secret_context(aad, pairs);
	if ((st = kms_material_get(req, txn, rec, rec->current_version,
	    &material)) != STATUS_OK)
		return st;
	st = kms_blob_seal(material, rec->key_id,
	    (uint32_t)rec->current_version, pairs, 2, data_key->data,
	    data_key->len, out, out_len);
	secret_buf_free(material);
	return st;
}

enum status
core_kms_version_seal(struct core_request *req, struct store_txn *txn,
    const char *region, const char *kms_key_id, const struct envelope_aad *aad,
    const struct secret_buf *plain, struct sealed_value *out, char **key_arn,
    struct error *err)
{
	struct kms_key_record	 rec;
	struct secret_buf	*data_key = NULL;
	struct sealed_value	 sealed;
	char			*arn = NULL;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	memset(&sealed, 0, sizeof(sealed));
	if ((st = secret_key_lookup(req, txn, aad->account_id, region,
	    kms_key_id, true, &rec, err)) != STATUS_OK)
		goto out;
	if (strcmp(rec.state, KMS_STATE_ENABLED) != 0) {
		st = error_set(err, STATUS_ENCRYPTION_FAILURE, MSG_ENCRYPT);
		goto out;
	}
	if ((st = authorize_via_secrets(req, "kms:GenerateDataKey", &rec, NULL,
	    aad, err)) != STATUS_OK)
		goto out;
	if ((st = rotate_if_due(req, txn, &rec)) != STATUS_OK ||
	    (st = root_key_generate(&data_key)) != STATUS_OK ||
	    (st = data_key_wrap(req, txn, &rec, aad, data_key,
	    &sealed.wrapped_key, &sealed.wrapped_key_len)) != STATUS_OK ||
	    (st = envelope_seal_value(data_key, aad, plain, &sealed.ciphertext,
	    &sealed.ciphertext_len)) != STATUS_OK) {
		if (st != STATUS_NO_MEMORY && st != STATUS_IO)
			st = error_set(err, STATUS_ENCRYPTION_FAILURE,
			    MSG_ENCRYPT);
		goto out;
	}
	if ((arn = strdup(rec.arn)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = sealed;
	memset(&sealed, 0, sizeof(sealed));
	*key_arn = arn;
	st = STATUS_OK;
out:
	sealed_value_cleanup(&sealed);
	secret_buf_free(data_key);
	kms_key_record_cleanup(&rec);
	return st;
}

/* The data key of a stored version, under its key rec. */
static enum status
data_key_open(struct core_request *req, struct store_txn *txn,
    const struct kms_key_record *rec, const struct kms_key_facts *facts,
    const struct envelope_aad *aad, const struct sealed_value *sealed,
    struct secret_buf **out)
{
	struct kms_context_pair	 pairs[2];
	struct kms_blob_header	 h;
	struct data_key_id	 id;
	struct secret_buf	*material = NULL;
	enum status		 st = STATUS_DECRYPTION_FAILURE;

	if (sealed->wrapped_key == NULL || sealed->wrapped_key_len == 0)
		return STATUS_DECRYPTION_FAILURE;
	if (sealed->wrapped_key[0] == CRYPTO_FORMAT_KMS_V1) {
		if (kms_blob_header_parse(sealed->wrapped_key,
		    sealed->wrapped_key_len, &h) != STATUS_OK ||
		    strcmp(h.key_id, rec->key_id) != 0)
			return STATUS_DECRYPTION_FAILURE;
		secret_context(aad, pairs);
		(void)data_key_id_make(&id, rec->arn, sealed->wrapped_key,
		    sealed->wrapped_key_len, pairs, 2);
		if (data_key_cache_get(&id, out) == STATUS_OK)
			return STATUS_OK;
		if (facts != NULL && facts->material_version == h.key_version &&
		    h.key_version > 0) {
			char label[2200];

			kms_material_label(rec->arn, h.key_version, label,
			    sizeof(label));
			if (keyring_unwrap_cached(req->env->keyring, label,
			    facts->wrapped_material,
			    facts->wrapped_material_len, &material) !=
			    STATUS_OK) {
				log_error("KMS key %s version %lld does not "
				    "unwrap under the root key", rec->key_id,
				    (long long)h.key_version);
				return STATUS_CORRUPT;
			}
		} else if ((st = kms_material_get(req, txn, rec, h.key_version,
		    &material)) != STATUS_OK)
			return st == STATUS_NOT_FOUND ?
			    STATUS_DECRYPTION_FAILURE : st;
		st = kms_blob_open(material, pairs, 2, sealed->wrapped_key,
		    sealed->wrapped_key_len, out);
		secret_buf_free(material);
		if (st == STATUS_OK && (*out)->len != CRYPTO_KEY_LEN) {
			secret_buf_free(*out);
			*out = NULL;
			st = STATUS_DECRYPTION_FAILURE;
		}
		if (st == STATUS_OK)
			data_key_cache_put(&id, *out);
		return st;
	}
	/* The first format names no version: try them, newest first. */
	for (int64_t v = rec->current_version; v >= 1; v--) {
		if ((st = kms_material_get(req, txn, rec, v, &material)) !=
		    STATUS_OK) {
			if (st == STATUS_NOT_FOUND)
				continue;
			return st;
		}
		st = envelope_unwrap_data_key(material, aad,
		    sealed->wrapped_key, sealed->wrapped_key_len, out);
		secret_buf_free(material);
		material = NULL;
		if (st == STATUS_OK)
			return st;
	}
	return STATUS_DECRYPTION_FAILURE;
}

enum status
core_kms_version_open(struct core_request *req, struct store_txn *txn,
    const struct envelope_aad *aad, const char *kms_key_arn,
    const struct sealed_value *sealed, struct secret_buf **out,
    struct error *err)
{
	const struct kms_key_facts *key = NULL;
	struct secret_buf	*data_key = NULL;
	enum status		 st;

	if ((st = kms_key_facts_get(req, txn, kms_key_arn, &key, err)) !=
	    STATUS_OK)
		goto out;
	if ((st = authorize_via_secrets(req, "kms:Decrypt", &key->rec,
	    key->policy, aad, err)) != STATUS_OK)
		goto out;
	if ((st = data_key_open(req, txn, &key->rec, key, aad, sealed,
	    &data_key)) != STATUS_OK ||
	    (st = envelope_open_value(data_key, aad, sealed->ciphertext,
	    sealed->ciphertext_len, out)) != STATUS_OK) {
		if (st == STATUS_NO_MEMORY || st == STATUS_IO)
			goto out;
		log_error("version %s of %s failed authentication",
		    aad->version_id, aad->secret_arn);
		st = error_set(err, STATUS_DECRYPTION_FAILURE, MSG_DECRYPT);
		goto out;
	}
out:
	secret_buf_free(data_key);
	kms_key_facts_release(key);
	return st;
}

enum status
core_kms_version_rewrap(struct core_request *req, struct store_txn *txn,
    const struct secret_record *secret, const struct version_record *version,
    const char *kms_key_id, struct error *err)
{
	struct kms_key_record	 old_key, new_key;
	struct secret_buf	*data_key = NULL;
	struct envelope_aad	 aad;
	struct sealed_value	 sealed;
	unsigned char		*wrapped = NULL;
	size_t			 wrapped_len = 0;
	enum status		 st;

	memset(&old_key, 0, sizeof(old_key));
	memset(&new_key, 0, sizeof(new_key));
	aad.account_id = secret->account_id;
	aad.secret_arn = secret->arn;
	aad.version_id = version->version_id;
	aad.is_binary = version->is_binary;
	sealed.ciphertext = version->ciphertext;
	sealed.ciphertext_len = version->ciphertext_len;
	sealed.wrapped_key = version->wrapped_key;
	sealed.wrapped_key_len = version->wrapped_key_len;
	if ((st = secret_key_lookup(req, txn, secret->account_id,
	    secret->region, kms_key_id, false, &new_key, err)) != STATUS_OK)
		goto out;
	if (strcmp(new_key.state, KMS_STATE_ENABLED) != 0) {
		st = error_set(err, STATUS_ENCRYPTION_FAILURE, MSG_ENCRYPT);
		goto out;
	}
	if ((st = kms_key_by_arn_enabled(req, txn, version->kms_key_arn,
	    &old_key, err)) != STATUS_OK ||
	    (st = authorize_via_secrets(req, "kms:Decrypt", &old_key, NULL,
	    &aad, err)) != STATUS_OK ||
	    (st = authorize_via_secrets(req, "kms:GenerateDataKey", &new_key,
	    NULL, &aad, err)) != STATUS_OK)
		goto out;
	if ((st = data_key_open(req, txn, &old_key, NULL, &aad, &sealed,
	    &data_key)) != STATUS_OK) {
		if (st != STATUS_NO_MEMORY && st != STATUS_IO)
			st = error_set(err, STATUS_DECRYPTION_FAILURE,
			    MSG_DECRYPT);
		goto out;
	}
	if ((st = data_key_wrap(req, txn, &new_key, &aad, data_key, &wrapped,
	    &wrapped_len)) != STATUS_OK) {
		if (st != STATUS_NO_MEMORY && st != STATUS_IO)
			st = error_set(err, STATUS_ENCRYPTION_FAILURE,
			    MSG_ENCRYPT);
		goto out;
	}
	st = store_version_rewrap(txn, secret->id, version->version_id,
	    new_key.arn, wrapped, wrapped_len);
out:
	free(wrapped);
	secret_buf_free(data_key);
	kms_key_record_cleanup(&old_key);
	kms_key_record_cleanup(&new_key);
	return st;
}

enum status
core_kms_secret_rekey(struct core_request *req, struct store_txn *txn,
    const struct secret_record *secret, const char *kms_key_id,
    struct error *err)
{
	struct version_record	*list = NULL, v;
	size_t			 count = 0;
	enum status		 st;

	memset(&v, 0, sizeof(v));
	if ((st = store_version_list(txn, secret->id, &list, &count)) !=
	    STATUS_OK)
		goto out;
	for (size_t i = 0; i < count; i++) {
		/* AWS re-encrypts the versions that carry a label. */
		if (list[i].stage_count == 0)
			continue;
		if ((st = store_version_get(txn, secret->id,
		    list[i].version_id, true, &v)) != STATUS_OK)
			goto out;
		if ((st = core_kms_version_rewrap(req, txn, secret, &v,
		    kms_key_id, err)) != STATUS_OK)
			goto out;
		version_record_cleanup(&v);
	}
	st = STATUS_OK;
out:
	version_record_cleanup(&v);
	version_records_free(list, count);
	return st;
}
