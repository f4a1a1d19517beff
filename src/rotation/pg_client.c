/*
 * pg_client.c: loads the PostgreSQL client library (libpq.so.5) at run
 * time and looks its functions up; see pg_client.h for why.
 *
 * Thread-safety: pg_client_load is called once, under the caller's
 * pthread_once; the table it fills is read-only afterwards.
 */
#include <dlfcn.h>
#include <string.h>

#include "common/log.h"
#include "rotation/pg_client.h"

/* Look name up in handle into out->name; a missing one fails the load. */
#define PG_CLIENT_SYMBOL(name) do {					\
	out->name = (__typeof__(out->name))dlsym(handle, #name);	\
	if (out->name == NULL) {					\
		missing = #name;					\
		goto out;						\
	}								\
} while (0)

enum status
pg_client_load(struct pg_client *out, struct error *err)
{
	enum status	 st = STATUS_INVALID_REQUEST;
	const char	*missing = NULL;
	void		*handle;

	memset(out, 0, sizeof(*out));
	if ((handle = dlopen(PG_CLIENT_LIBRARY, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		log_error("rotation: cannot load the PostgreSQL client "
		    "library: %s", dlerror());
		return error_set(err, st, "PostgreSQL rotation needs the "
		    "PostgreSQL client library (%s, Debian package libpq5), "
		    "which this server cannot load", PG_CLIENT_LIBRARY);
	}
	PG_CLIENT_SYMBOL(PQconnectdbParams);
	PG_CLIENT_SYMBOL(PQstatus);
	PG_CLIENT_SYMBOL(PQconnectionUsedPassword);
	PG_CLIENT_SYMBOL(PQerrorMessage);
	PG_CLIENT_SYMBOL(PQfinish);
	PG_CLIENT_SYMBOL(PQexec);
	PG_CLIENT_SYMBOL(PQexecParams);
	PG_CLIENT_SYMBOL(PQresultStatus);
	PG_CLIENT_SYMBOL(PQresultErrorField);
	PG_CLIENT_SYMBOL(PQntuples);
	PG_CLIENT_SYMBOL(PQclear);
	PG_CLIENT_SYMBOL(PQencryptPasswordConn);
	PG_CLIENT_SYMBOL(PQescapeIdentifier);
	PG_CLIENT_SYMBOL(PQescapeLiteral);
	PG_CLIENT_SYMBOL(PQfreemem);
	log_debug("rotation: loaded %s", PG_CLIENT_LIBRARY);
	st = STATUS_OK;
out:
	if (st != STATUS_OK) {
		/* Too old a library: keep none of it. */
		log_error("rotation: %s has no function %s", PG_CLIENT_LIBRARY,
		    missing);
		memset(out, 0, sizeof(*out));
		dlclose(handle);
		return error_set(err, st, "PostgreSQL rotation needs a newer "
		    "PostgreSQL client library (%s) than this server has",
		    PG_CLIENT_LIBRARY);
	}
	return STATUS_OK;
}
