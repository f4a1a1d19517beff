/*
 * pg_client.h: the PostgreSQL client library's functions, loaded at run
 * time.
 *
 * libpq, and the TLS, Kerberos and LDAP libraries it brings, cost an idle
 * server resident pages it never uses unless a PostgreSQL secret is
 * rotated.  So the binary does not link it: the PostgreSQL rotator loads
 * it on first use with pg_client_load().  Types and constants still come
 * from <libpq-fe.h>; the functions are called through struct pg_client,
 * whose members have the library's own names and types.
 */
#ifndef SESAME_PG_CLIENT_H
#define SESAME_PG_CLIENT_H

#include <libpq-fe.h>

#include "common/status.h"

#define PG_CLIENT_LIBRARY	"libpq.so.5"

struct pg_client {
	__typeof__(PQconnectdbParams)		*PQconnectdbParams;
	__typeof__(PQstatus)			*PQstatus;
	__typeof__(PQconnectionUsedPassword)	*PQconnectionUsedPassword;
	__typeof__(PQerrorMessage)		*PQerrorMessage;
	__typeof__(PQfinish)			*PQfinish;
	__typeof__(PQexec)			*PQexec;
	__typeof__(PQexecParams)		*PQexecParams;
	__typeof__(PQresultStatus)		*PQresultStatus;
	__typeof__(PQresultErrorField)		*PQresultErrorField;
	__typeof__(PQntuples)			*PQntuples;
	__typeof__(PQclear)			*PQclear;
	__typeof__(PQencryptPasswordConn)	*PQencryptPasswordConn;
	__typeof__(PQescapeIdentifier)		*PQescapeIdentifier;
	__typeof__(PQescapeLiteral)		*PQescapeLiteral;
	__typeof__(PQfreemem)			*PQfreemem;
};

/*
 * Load PG_CLIENT_LIBRARY and fill *out.  Call it once (the rotator does,
 * under pthread_once); the library stays loaded until exit.
 * STATUS_INVALID_REQUEST when the library or one of its functions is
 * missing: the message names the library and the package that holds it,
 * and the loader's own reason is logged.
 */
enum status	 pg_client_load(struct pg_client *out, struct error *err);

#endif
