/*
 * core_internal.h: helpers shared by the files of core/ only.
 */
#ifndef SESAME_CORE_INTERNAL_H
#define SESAME_CORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define MSG_SECRET_NOT_FOUND	"Secrets Manager can't find the specified secret."

/* Record arn as the request's resource and ask req->authorize. */
enum status	 core_authorize(struct core_request *req, const char *arn,
		    const char *account_id, struct error *err);
/* Resolve secret_id inside txn and authorise req->action on it.  A secret
 * of another account that does not exist is denied rather than reported
 * missing, so existence does not leak. */
enum status	 core_secret_load(struct core_request *req, struct store_txn *txn,
		    const char *secret_id, struct secret_record *out,
		    struct error *err);
/* Open a stored version's value (the version must carry its blobs). */
enum status	 core_version_open(struct core_request *req,
		    struct store_txn *txn, const struct secret_record *secret,
		    const struct version_record *version, struct secret_buf **out,
		    struct error *err);
/* Tags and versions of d->secret. */
enum status	 core_description_load(struct store_txn *txn,
		    struct secret_description *d);
bool		 core_stages_contain(char *const *stages, size_t count,
		    const char *stage);

/* FNV-1a of len bytes: picks a slot in the caches of core/ (not a
 * keyed hash; entries are always compared in full). */
static inline uint64_t
core_slot_hash(const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint64_t		 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#endif
