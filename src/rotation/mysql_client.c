/*
 * mysql_client.c: loads the MariaDB client library (libmariadb.so.3) at
 * run time and looks its functions up; see mysql_client.h for why.
 *
 * Thread-safety: mysql_client_load is called once, under the caller's
 * pthread_once; the table it fills is read-only afterwards.
 */
#include <dlfcn.h>
#include <string.h>

#include "common/log.h"
#include "rotation/mysql_client.h"

/* Look name up in handle into out->name; a missing one fails the load. */
#define MYSQL_CLIENT_SYMBOL(name) do {					\
	out->name = (__typeof__(out->name))dlsym(handle, #name);	\
	if (out->name == NULL) {					\
		missing = #name;					\
		goto out;						\
	}								\
} while (0)

enum status
mysql_client_load(struct mysql_client *out, struct error *err)
{
	enum status	 st = STATUS_INVALID_REQUEST;
	const char	*missing = NULL;
	void		*handle;

	memset(out, 0, sizeof(*out));
	if ((handle = dlopen(MYSQL_CLIENT_LIBRARY, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		log_error("rotation: cannot load the MariaDB client library: "
		    "%s", dlerror());
		return error_set(err, st, "MySQL rotation needs the MariaDB "
		    "client library (%s, Debian package libmariadb3), which "
		    "this server cannot load", MYSQL_CLIENT_LIBRARY);
	}
	MYSQL_CLIENT_SYMBOL(mysql_server_init);
	MYSQL_CLIENT_SYMBOL(mysql_init);
	MYSQL_CLIENT_SYMBOL(mysql_optionsv);
	MYSQL_CLIENT_SYMBOL(mysql_ssl_set);
	MYSQL_CLIENT_SYMBOL(mysql_real_connect);
	MYSQL_CLIENT_SYMBOL(mysql_close);
	MYSQL_CLIENT_SYMBOL(mysql_real_escape_string);
	MYSQL_CLIENT_SYMBOL(mysql_real_query);
	MYSQL_CLIENT_SYMBOL(mysql_store_result);
	MYSQL_CLIENT_SYMBOL(mysql_fetch_row);
	MYSQL_CLIENT_SYMBOL(mysql_free_result);
	MYSQL_CLIENT_SYMBOL(mysql_errno);
	MYSQL_CLIENT_SYMBOL(mysql_error);
	MYSQL_CLIENT_SYMBOL(mysql_sqlstate);
	MYSQL_CLIENT_SYMBOL(mysql_get_server_info);
	MYSQL_CLIENT_SYMBOL(mysql_get_server_version);
	log_debug("rotation: loaded %s", MYSQL_CLIENT_LIBRARY);
	st = STATUS_OK;
out:
	if (st != STATUS_OK) {
		/* Too old a library: keep none of it. */
		log_error("rotation: %s has no function %s",
		    MYSQL_CLIENT_LIBRARY, missing);
		memset(out, 0, sizeof(*out));
		dlclose(handle);
		return error_set(err, st, "MySQL rotation needs a newer "
		    "MariaDB client library (%s) than this server has",
		    MYSQL_CLIENT_LIBRARY);
	}
	return STATUS_OK;
}
