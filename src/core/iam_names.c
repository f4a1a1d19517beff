/*
 * iam_names.c: IAM's names, ARNs and ids, and the small rules shared by
 * the IAM files of core/.
 *
 * ARNs: arn:aws:iam::ACCOUNT:TYPE/PATH.../NAME, the path without its
 * leading slash ("/" adds nothing).  Unique ids: a four-letter prefix
 * that says what the id names (AIDA user, AGPA group, AROA role, ANPA
 * policy) and 17 characters of IAM's base-32 alphabet; access key ids:
 * AKIA (long-term) or ASIA (temporary) and 16.  Pure and thread-safe.
 */
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/iam.h"
#include "core/iam_internal.h"

#define IAM_ID_ALPHABET		"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#define IAM_SECRET_ALPHABET	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#define IAM_SECRET_LEN		40

const char *
iam_kind_word(enum iam_kind kind, bool capital)
{
	switch (kind) {
	case IAM_KIND_USER:
		return capital ? "User" : "user";
	case IAM_KIND_GROUP:
		return capital ? "Group" : "group";
	case IAM_KIND_ROLE:
		return capital ? "Role" : "role";
	case IAM_KIND_POLICY:
		return capital ? "Policy" : "policy";
	case IAM_KIND_SESSION:
		return capital ? "Session" : "session";
	}
	return "entity";
}

char *
iam_arn_build(const char *account_id, const char *type, const char *path,
    const char *name)
{
	char	*arn = NULL;

	if (path == NULL || path[0] == '\0')
		path = IAM_PATH_DEFAULT;
	if (asprintf(&arn, "arn:aws:iam::%s:%s%s%s", account_id, type, path,
	    name) < 0)
		return NULL;
	return arn;
}

enum status
iam_id_new(const char *prefix, char out[22])
{
	enum status	 st;

	memcpy(out, prefix, 4);
	if ((st = random_string(IAM_ID_ALPHABET, 17, out + 4)) != STATUS_OK)
		return st;
	out[21] = '\0';
	return STATUS_OK;
}

enum status
iam_key_pair_new(const char *prefix, struct access_key_pair *out,
    struct secret_buf **secret)
{
	struct access_key_pair	 pair;
	enum status		 st;

	memset(&pair, 0, sizeof(pair));
	memcpy(pair.access_key_id, prefix, 4);
	if ((st = random_string(IAM_ID_ALPHABET, 16,
	    pair.access_key_id + 4)) != STATUS_OK ||
	    (st = random_string(IAM_SECRET_ALPHABET, IAM_SECRET_LEN,
	    pair.secret_access_key)) != STATUS_OK)
		goto out;
	if ((*secret = secret_buf_from(pair.secret_access_key,
	    IAM_SECRET_LEN)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	*out = pair;
out:
	explicit_bzero(&pair, sizeof(pair));
	return st;
}

size_t
iam_policy_size(const char *document)
{
	size_t	 n = 0;

	for (const unsigned char *p = (const unsigned char *)document;
	    *p != '\0'; p++)
		if (!isspace(*p))
			n++;
	return n;
}

enum status
iam_policy_arn_check(const char *arn, struct error *err)
{
	struct arn_parts parts;
	size_t		 n;

	if (arn_parse(arn, &parts) != STATUS_OK ||
	    strcmp(parts.service, "iam") != 0 || parts.region[0] != '\0' ||
	    parts.account_id[0] == '\0' ||
	    strncmp(parts.resource, "policy/", 7) != 0 ||
	    (n = strlen(parts.resource)) == 7 || parts.resource[n - 1] == '/')
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "ARN %s is not valid.", arn);
	return STATUS_OK;
}

const char *
iam_arn_name(const char *arn)
{
	const char	*slash = strrchr(arn, '/');

	return slash != NULL ? slash + 1 : arn;
}

bool
iam_arn_path_matches(const char *arn, const char *type, const char *prefix)
{
	const char	*res, *p;
	size_t		 n;

	if (prefix == NULL || strcmp(prefix, "/") == 0)
		return true;
	/* arn:aws:iam::A:TYPE/path/name: the path starts at the slash
	 * after TYPE. */
	if ((res = strchr(arn, ':')) == NULL)
		return false;
	for (int i = 0; i < 4 && res != NULL; i++)
		res = strchr(res + 1, ':');
	if (res == NULL)
		return false;
	res++;
	n = strlen(type);
	if (strncmp(res, type, n) != 0 || res[n] != '/')
		return false;
	p = res + n;
	return strncmp(p, prefix, strlen(prefix)) == 0;
}

size_t
iam_page_limit(const struct iam_page *page)
{
	if (page == NULL || page->max_items == 0)
		return IAM_PAGE_DEFAULT;
	return page->max_items;
}

/* ---- the write generation ---- */

static _Atomic uint64_t iam_generation = 1;

uint64_t
core_iam_generation(void)
{
	return atomic_load(&iam_generation);
}

enum status
iam_commit(struct store_txn *txn)
{
	enum status st;

	st = store_commit(txn);
	atomic_fetch_add(&iam_generation, 1);
	return st;
}
