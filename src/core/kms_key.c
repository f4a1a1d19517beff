/*
 * kms_key.c: the KMS keys that protect secret versions.
 *
 * Each account and region gets the AWS managed key aws/secretsmanager on
 * first use.  Key material is random, wrapped by the root key with the key's
 * ARN as its label, and unwrapped through the keyring's cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "core/core.h"

static enum status
uuid_v4(char out[37])
{
	unsigned char	 b[16];
	enum status	 st;

	if ((st = random_bytes(b, sizeof(b))) != STATUS_OK)
		return st;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
	return STATUS_OK;
}

enum status
core_uuid(char out[37])
{
	return uuid_v4(out);
}

static enum status
default_key_create(struct core_request *req, struct store_txn *txn,
    const char *account_id, const char *region, struct kms_key_record *out,
    struct error *err)
{
	struct kms_key_record	 rec;
	struct secret_buf	*material = NULL;
	char			 key_id[37];
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if ((st = uuid_v4(key_id)) != STATUS_OK)
		goto out;
	if ((material = secret_buf_new(CRYPTO_KEY_LEN)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((st = random_bytes(material->data, CRYPTO_KEY_LEN)) != STATUS_OK)
		goto out;
	material->len = CRYPTO_KEY_LEN;
	rec.key_id = strdup(key_id);
	rec.account_id = strdup(account_id);
	rec.region = strdup(region);
	rec.description = strdup("Default key that protects my Secrets Manager "
	    "data when no other key is defined");
	rec.key_manager = strdup("AWS");
	rec.state = strdup("Enabled");
	if (asprintf(&rec.arn, "arn:aws:kms:%s:%s:key/%s", region, account_id,
	    key_id) < 0)
		rec.arn = NULL;
	if (rec.key_id == NULL || rec.account_id == NULL || rec.region == NULL ||
	    rec.description == NULL || rec.key_manager == NULL ||
	    rec.state == NULL || rec.arn == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	rec.created_at = req->now_ms;
	if ((st = keyring_wrap(req->env->keyring, rec.arn, material,
	    &rec.wrapped_material, &rec.wrapped_material_len)) != STATUS_OK)
		goto out;
	if ((st = store_kms_key_put(txn, &rec)) != STATUS_OK)
		goto out;
	if ((st = store_kms_alias_put(txn, account_id, region,
	    DEFAULT_KMS_ALIAS, key_id, req->now_ms)) != STATUS_OK)
		goto out;
	log_info("created the aws/secretsmanager key %s for account %s in %s",
	    key_id, account_id, region);
	*out = rec;
	memset(&rec, 0, sizeof(rec));
out:
	kms_key_record_cleanup(&rec);
	secret_buf_free(material);
	if (st != STATUS_OK && st != STATUS_NO_MEMORY)
		error_set(err, STATUS_ENCRYPTION_FAILURE,
		    "Secrets Manager can't encrypt the secret value with the "
		    "default KMS key.");
	return st == STATUS_OK ? st : STATUS_ENCRYPTION_FAILURE;
}

/* Find a key by id, key ARN, alias name or alias ARN, in the caller's
 * account and region. */
static enum status
key_lookup(struct store_txn *txn, const char *account_id, const char *region,
    const char *kms_key_id, struct kms_key_record *out)
{
	struct arn_parts parts;
	const char	*id = kms_key_id;
	char		*alias_key_id = NULL;
	enum status	 st;

	if (strncmp(id, "arn:", 4) == 0) {
		if (arn_parse(id, &parts) != STATUS_OK ||
		    strcmp(parts.service, "kms") != 0 ||
		    strcmp(parts.region, region) != 0 ||
		    strcmp(parts.account_id, account_id) != 0)
			return STATUS_NOT_FOUND;
		id = strchr(id, ':');
		for (int i = 0; i < 4 && id != NULL; i++)
			id = strchr(id + 1, ':');
		if (id == NULL)
			return STATUS_NOT_FOUND;
		id++;
		if (strncmp(id, "key/", 4) == 0)
			id += 4;
	}
	if (strncmp(id, "alias/", 6) == 0) {
		st = store_kms_alias_get(txn, account_id, region, id,
		    &alias_key_id);
		if (st != STATUS_OK)
			return st;
		id = alias_key_id;
	}
	st = store_kms_key_get(txn, account_id, region, id, out);
	free(alias_key_id);
	return st;
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
	st = key_lookup(txn, account_id, region,
	    kms_key_id != NULL ? kms_key_id : DEFAULT_KMS_ALIAS, &rec);
	if (st == STATUS_NOT_FOUND && kms_key_id == NULL && create)
		st = default_key_create(req, txn, account_id, region, &rec, err);
	if (st == STATUS_NOT_FOUND) {
		st = error_set(err, STATUS_INVALID_PARAMETER,
		    "The KMS key %s doesn't exist or you don't have access to it.",
		    kms_key_id != NULL ? kms_key_id : DEFAULT_KMS_ALIAS);
		goto out;
	}
	if (st != STATUS_OK)
		goto out;
	if (strcmp(rec.state, "Enabled") != 0) {
		st = error_set(err, STATUS_ENCRYPTION_FAILURE,
		    "The KMS key %s is not enabled.", rec.arn);
		goto out;
	}
	if ((st = keyring_unwrap_cached(req->env->keyring, rec.arn,
	    rec.wrapped_material, rec.wrapped_material_len, &m)) != STATUS_OK) {
		log_error("KMS key %s does not unwrap under the root key",
		    rec.key_id);
		st = STATUS_CORRUPT;
		goto out;
	}
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

/* The material of the key that sealed a version (any state but missing:
 * a disabled key makes reads fail, as on AWS). */
enum status
core_kms_key_material_by_arn(struct core_request *req, struct store_txn *txn,
    const char *key_arn, struct secret_buf **material, struct error *err)
{
	struct kms_key_record	 rec;
	struct arn_parts	 parts;
	enum status		 st;

	memset(&rec, 0, sizeof(rec));
	if (arn_parse(key_arn, &parts) != STATUS_OK ||
	    (st = key_lookup(txn, parts.account_id, parts.region, key_arn,
	    &rec)) != STATUS_OK) {
		st = error_set(err, STATUS_DECRYPTION_FAILURE,
		    "Secrets Manager can't decrypt the protected secret text "
		    "using the provided KMS key.");
		goto out;
	}
	if (strcmp(rec.state, "Enabled") != 0) {
		st = error_set(err, STATUS_DECRYPTION_FAILURE,
		    "Secrets Manager can't decrypt the protected secret text "
		    "using the provided KMS key.");
		goto out;
	}
	if ((st = keyring_unwrap_cached(req->env->keyring, rec.arn,
	    rec.wrapped_material, rec.wrapped_material_len, material)) !=
	    STATUS_OK) {
		log_error("KMS key %s does not unwrap under the root key",
		    rec.key_id);
		st = STATUS_CORRUPT;
	}
out:
	kms_key_record_cleanup(&rec);
	return st;
}
