/*
 * core_internal.h: helpers shared by the files of core/ only.
 */
#ifndef SESAME_CORE_INTERNAL_H
#define SESAME_CORE_INTERNAL_H

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

#endif
