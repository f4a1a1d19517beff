/*
 * mysql_client.h: the MariaDB client library's functions, loaded at run
 * time.
 *
 * libmariadb, and the TLS, Kerberos, LDAP and SASL libraries it brings,
 * cost an idle server about 1.5 MiB of resident pages it never uses unless
 * a MySQL secret is rotated.  So the binary does not link it: the MySQL
 * rotator loads it on first use with mysql_client_load().  Types and
 * constants still come from <mysql.h>; the functions are called through
 * struct mysql_client, whose members have the library's own names and
 * types.
 */
#ifndef SESAME_MYSQL_CLIENT_H
#define SESAME_MYSQL_CLIENT_H

#include <mysql.h>

#include "common/status.h"

#define MYSQL_CLIENT_LIBRARY	"libmariadb.so.3"

struct mysql_client {
	/* mysql_library_init is a macro for this one */
	__typeof__(mysql_server_init)		*mysql_server_init;
	__typeof__(mysql_init)			*mysql_init;
	__typeof__(mysql_optionsv)		*mysql_optionsv;
	__typeof__(mysql_ssl_set)		*mysql_ssl_set;
	__typeof__(mysql_real_connect)		*mysql_real_connect;
	__typeof__(mysql_close)			*mysql_close;
	__typeof__(mysql_real_escape_string)	*mysql_real_escape_string;
	__typeof__(mysql_real_query)		*mysql_real_query;
	__typeof__(mysql_store_result)		*mysql_store_result;
	__typeof__(mysql_fetch_row)		*mysql_fetch_row;
	__typeof__(mysql_free_result)		*mysql_free_result;
	__typeof__(mysql_errno)			*mysql_errno;
	__typeof__(mysql_error)			*mysql_error;
	__typeof__(mysql_sqlstate)		*mysql_sqlstate;
	__typeof__(mysql_get_server_info)	*mysql_get_server_info;
	__typeof__(mysql_get_server_version)	*mysql_get_server_version;
};

/*
 * Load MYSQL_CLIENT_LIBRARY and fill *out.  Call it once (the rotator does,
 * under pthread_once); the library stays loaded until exit, and its global
 * state is not initialised here (mysql_server_init).  STATUS_INVALID_REQUEST
 * when the library or one of its functions is missing: the message names
 * the library and the package that holds it, and the loader's own reason
 * is logged.
 */
enum status	 mysql_client_load(struct mysql_client *out,
		    struct error *err);

#endif
