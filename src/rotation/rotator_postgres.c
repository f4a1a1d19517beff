/*
 * rotator_postgres.c: the built-in rotator for PostgreSQL (libpq).
 *
 * Single user: log in as the secret's user and change its own password
 * (ALTER ROLE <user> WITH PASSWORD ...).  Alternating users: prove the
 * secret's current login works (so a secret cannot borrow the master to
 * take over a role it does not already hold), then log in as the master
 * from masterarn and, in one transaction, create the other role of the
 * pair (<username>_clone, or <username> for a clone) when it is missing
 * (CREATE ROLE ... LOGIN, then GRANT <current role> TO <new role>, as
 * AWS's rotation templates do) and set its password.  Existing sessions
 * are never terminated.
 *
 * A new password never reaches the server in clear: PQencryptPasswordConn
 * turns it into the verifier the server's password_encryption asks for
 * (SCRAM-SHA-256 by default), as psql's \password does, so it cannot show
 * up in the server's statement log.  Identifiers and literals are quoted by
 * PQescapeIdentifier and PQescapeLiteral; lookups use bound parameters.
 *
 * Connections go over TCP to host:port (dbname, or "postgres"), and must
 * have asked for the password (a server that trusts the client proves
 * nothing about a password); they time out after
 * CONNECT_TIMEOUT_SECONDS, and use libpq's TLS defaults: sslmode "prefer"
 * unless the server process's environment says otherwise (PGSSLMODE,
 * PGSSLROOTCERT, ...).  The dbname is never parsed as a connection string.
 *
 * Messages name the host, port and user, never a password.
 *
 * The client library is loaded on the first login (pg_client.h), not
 * linked: a server that never rotates a PostgreSQL secret never maps it.
 *
 * Thread-safety: reentrant (libpq is thread-safe; one connection per
 * call; the library is loaded once, under pthread_once).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "common/log.h"
#include "rotation/pg_client.h"
#include "rotation/rotator.h"

#define POSTGRES_DEFAULT_PORT		5432
#define POSTGRES_DEFAULT_DBNAME		"postgres"
#define CONNECT_TIMEOUT_SECONDS		"5"
#define STATEMENT_TIMEOUT_OPTION	"-c statement_timeout=10000"
#define TCP_USER_TIMEOUT_MS		"10000"
#define CLONE_SUFFIX			"_clone"
#define MESSAGE_MAX			400

static pthread_once_t	 library_once = PTHREAD_ONCE_INIT;
static struct pg_client	 lib;		/* filled once by library_init */
static enum status	 library_status;
static struct error	 library_error;

static void
library_init(void)
{
	library_status = pg_client_load(&lib, &library_error);
}

static int
port_of(const struct db_credentials *c)
{
	return c->port > 0 ? c->port : POSTGRES_DEFAULT_PORT;
}

/*
 * libpq's message on one line.  A line seen before is dropped: with
 * sslmode "prefer" libpq tries with TLS and then without, and reports the
 * same refusal twice.
 */
static void
message_flatten(const char *in, char *out, size_t out_len)
{
	const char	*line, *end;
	size_t		 n = 0;

	out[0] = '\0';
	for (line = in != NULL ? in : ""; *line != '\0'; line = end) {
		size_t	 len;
		bool	 seen = false;

		end = strchr(line, '\n');
		end = end != NULL ? end + 1 : line + strlen(line);
		len = (size_t)(end - line);
		for (const char *p = in; p < line && !seen; ) {
			const char *q = strchr(p, '\n');
			size_t plen = q != NULL ? (size_t)(q + 1 - p) :
			    strlen(p);

			seen = plen == len && memcmp(p, line, len) == 0;
			p += plen;
		}
		if (seen)
			continue;
		for (const char *p = line; p < end && n + 1 < out_len; p++) {
			bool	 blank = *p == '\n' || *p == '\t' ||
				    *p == '\r' || *p == ' ';

			if (blank && (n == 0 || out[n - 1] == ' '))
				continue;
			out[n++] = blank ? ' ' : *p;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static enum status
login(const struct db_credentials *c, PGconn **out, struct error *err)
{
	const char	*keys[] = { "host", "port", "user", "password",
			    "dbname", "connect_timeout", "application_name",
			    "options", "tcp_user_timeout", "client_encoding",
			    NULL };
	const char	*values[sizeof(keys) / sizeof(keys[0])];
	char		 port[16], message[MESSAGE_MAX];
	PGconn		*conn;

	pthread_once(&library_once, library_init);
	if (library_status != STATUS_OK)
		return error_set(err, library_status, "%s",
		    library_error.message);
	if (c->password == NULL ||
	    memchr(c->password->data, '\0', c->password->len) != NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "the password "
		    "of %s contains a NUL character", c->username);
	/* A socket path or a list of hosts would reach another server than
	 * the one named, maybe without a password. */
	if (c->host[0] == '/' || c->host[0] == '@' ||
	    strchr(c->host, ',') != NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "the host of "
		    "a PostgreSQL login must be one host name or address");
	snprintf(port, sizeof(port), "%d", port_of(c));
	values[0] = c->host;
	values[1] = port;
	values[2] = c->username;
	values[3] = (const char *)c->password->data;
	values[4] = c->dbname != NULL ? c->dbname : POSTGRES_DEFAULT_DBNAME;
	values[5] = CONNECT_TIMEOUT_SECONDS;
	values[6] = "sesame-rotation";
	values[7] = STATEMENT_TIMEOUT_OPTION;
	values[8] = TCP_USER_TIMEOUT_MS;
	values[9] = "UTF8";
	values[10] = NULL;
	if ((conn = lib.PQconnectdbParams(keys, values, 0)) == NULL)
		return STATUS_NO_MEMORY;
	if (lib.PQstatus(conn) != CONNECTION_OK) {
		message_flatten(lib.PQerrorMessage(conn), message,
		    sizeof(message));
		lib.PQfinish(conn);
		return error_set(err, STATUS_INVALID_REQUEST, "cannot log in to "
		    "PostgreSQL at %s:%d as %s: %s", c->host, port_of(c),
		    c->username, message);
	}
	if (!lib.PQconnectionUsedPassword(conn)) {
		lib.PQfinish(conn);
		return error_set(err, STATUS_INVALID_REQUEST, "PostgreSQL at "
		    "%s:%d let %s in without asking for a password (trust "
		    "authentication in pg_hba.conf?): a login cannot prove "
		    "that a password works", c->host, port_of(c),
		    c->username);
	}
	*out = conn;
	return STATUS_OK;
}

static enum status
rotator_postgres_test_login(const struct db_credentials *c, struct error *err)
{
	PGconn		*conn = NULL;
	enum status	 st;

	if ((st = login(c, &conn, err)) != STATUS_OK)
		return st;
	lib.PQfinish(conn);
	return STATUS_OK;
}

/* ---- statements ---- */

static enum status
result_error(PGconn *conn, PGresult *res, const struct db_credentials *as,
    const char *what, struct error *err)
{
	const char	*primary = NULL, *sqlstate = NULL;
	char		 message[MESSAGE_MAX];

	if (res != NULL) {
		primary = lib.PQresultErrorField(res,
		    PG_DIAG_MESSAGE_PRIMARY);
		sqlstate = lib.PQresultErrorField(res, PG_DIAG_SQLSTATE);
	}
	message_flatten(primary != NULL ? primary : lib.PQerrorMessage(conn),
	    message, sizeof(message));
	return error_set(err, STATUS_INVALID_REQUEST, "PostgreSQL at %s:%d: %s "
	    "failed as %s (SQLSTATE %s): %s", as->host, port_of(as), what,
	    as->username, sqlstate != NULL ? sqlstate : "none", message);
}

/* Run a statement that returns no rows. */
static enum status
sql_run(PGconn *conn, const struct db_credentials *as, const char *what,
    const char *sql, struct error *err)
{
	PGresult	*res = lib.PQexec(conn, sql);
	enum status	 st = STATUS_OK;

	if (res == NULL || lib.PQresultStatus(res) != PGRES_COMMAND_OK)
		st = result_error(conn, res, as, what, err);
	lib.PQclear(res);
	return st;
}

/* Does role name exist? */
static enum status
role_exists(PGconn *conn, const struct db_credentials *as, const char *name,
    bool *out, struct error *err)
{
	const char	*params[] = { name };
	PGresult	*res;
	enum status	 st = STATUS_OK;

	res = lib.PQexecParams(conn, "SELECT 1 FROM pg_catalog.pg_roles WHERE "
	    "rolname = $1", 1, NULL, params, NULL, NULL, 0);
	if (res == NULL || lib.PQresultStatus(res) != PGRES_TUPLES_OK)
		st = result_error(conn, res, as, "looking the role up", err);
	else
		*out = lib.PQntuples(res) > 0;
	lib.PQclear(res);
	return st;
}

/*
 * The password clause for role: " PASSWORD '<verifier>'", the verifier
 * made by libpq the way the server's password_encryption asks.
 */
static enum status
password_clause(PGconn *conn, const struct db_credentials *as,
    const char *role, const struct secret_buf *password,
    struct secret_buf **out, struct error *err)
{
	struct secret_buf	*clause = NULL;
	char			*verifier = NULL, *literal = NULL;
	char			 message[MESSAGE_MAX];
	enum status		 st = STATUS_NO_MEMORY;

	if ((verifier = lib.PQencryptPasswordConn(conn,
	    (const char *)password->data, role, NULL)) == NULL) {
		message_flatten(lib.PQerrorMessage(conn), message,
		    sizeof(message));
		st = error_set(err, STATUS_INVALID_REQUEST, "PostgreSQL at "
		    "%s:%d: cannot make the password verifier for %s: %s",
		    as->host, port_of(as), role, message);
		goto out;
	}
	if ((literal = lib.PQescapeLiteral(conn, verifier,
	    strlen(verifier))) == NULL) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	if ((clause = secret_buf_new(strlen(literal) + 16)) == NULL ||
	    secret_buf_append(clause, " PASSWORD ", 10) != STATUS_OK ||
	    secret_buf_append(clause, literal, strlen(literal)) != STATUS_OK)
		goto out;
	*out = clause;
	clause = NULL;
	st = STATUS_OK;
out:
	if (verifier != NULL) {
		OPENSSL_cleanse(verifier, strlen(verifier));
		lib.PQfreemem(verifier);
	}
	if (literal != NULL) {
		OPENSSL_cleanse(literal, strlen(literal));
		lib.PQfreemem(literal);
	}
	secret_buf_free(clause);
	return st;
}

/* "<prefix><ident><middle><password clause>" */
static enum status
statement_make(const char *prefix, const char *ident, const char *middle,
    const struct secret_buf *clause, struct secret_buf **out)
{
	struct secret_buf *sql;

	if ((sql = secret_buf_new(strlen(prefix) + strlen(ident) +
	    strlen(middle) + (clause != NULL ? clause->len : 0))) == NULL)
		return STATUS_NO_MEMORY;
	if (secret_buf_append(sql, prefix, strlen(prefix)) != STATUS_OK ||
	    secret_buf_append(sql, ident, strlen(ident)) != STATUS_OK ||
	    secret_buf_append(sql, middle, strlen(middle)) != STATUS_OK ||
	    (clause != NULL && secret_buf_append(sql, clause->data,
	    clause->len) != STATUS_OK)) {
		secret_buf_free(sql);
		return STATUS_NO_MEMORY;
	}
	*out = sql;
	return STATUS_OK;
}

/* ---- single user ---- */

static enum status
set_own_password(const struct db_credentials *current,
    const struct db_credentials *pending, struct error *err)
{
	PGconn			*conn = NULL;
	struct secret_buf	*clause = NULL, *sql = NULL;
	char			*ident = NULL;
	enum status		 st;

	if ((st = login(current, &conn, err)) != STATUS_OK)
		goto out;
	if ((st = password_clause(conn, current, current->username,
	    pending->password, &clause, err)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((ident = lib.PQescapeIdentifier(conn, current->username,
	    strlen(current->username))) == NULL ||
	    statement_make("ALTER ROLE ", ident, " WITH", clause, &sql) !=
	    STATUS_OK)
		goto out;
	if ((st = sql_run(conn, current, "changing the role's own password",
	    (const char *)sql->data, err)) != STATUS_OK)
		goto out;
	log_info("rotation: PostgreSQL at %s:%d: %s changed its own password",
	    current->host, port_of(current), current->username);
	st = STATUS_OK;
out:
	if (ident != NULL)
		lib.PQfreemem(ident);
	secret_buf_free(clause);
	secret_buf_free(sql);
	if (conn != NULL)
		lib.PQfinish(conn);
	return st;
}

/* ---- alternating users ---- */

/* Is other the alternate of name (name_clone, or name without _clone)? */
static bool
is_alternate(const char *name, const char *other)
{
	size_t	 n = strlen(name), o = strlen(other);
	size_t	 s = strlen(CLONE_SUFFIX);

	if (n > s && strcmp(name + n - s, CLONE_SUFFIX) == 0)
		return o == n - s && strncmp(name, other, o) == 0;
	return o == n + s && strncmp(name, other, n) == 0 &&
	    strcmp(other + n, CLONE_SUFFIX) == 0;
}

static bool
same_server(const struct db_credentials *a, const struct db_credentials *b)
{
	return strcasecmp(a->host, b->host) == 0 && port_of(a) == port_of(b);
}

static enum status
set_alternate_password(const struct db_credentials *current,
    const struct db_credentials *pending, const struct db_credentials *master,
    struct error *err)
{
	PGconn			*conn = NULL;
	struct secret_buf	*clause = NULL, *sql = NULL;
	char			*pending_ident = NULL, *current_ident = NULL;
	char			*grant = NULL;
	bool			 exists = false, in_transaction = false;
	enum status		 st;

	if (master == NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "alternating "
		    "users rotation needs the master secret (masterarn)");
	if (!is_alternate(current->username, pending->username))
		return error_set(err, STATUS_INVALID_PARAMETER, "the pending "
		    "version's user %s is not the alternate of %s (the same "
		    "name with or without the suffix %s)", pending->username,
		    current->username, CLONE_SUFFIX);
	if (!same_server(current, master))
		return error_set(err, STATUS_INVALID_PARAMETER, "the master "
		    "secret's database (%s:%d) is not the secret's (%s:%d)",
		    master->host, port_of(master), current->host,
		    port_of(current));
	/* Only a secret that holds a working login may have its alternate
	 * made by the master. */
	if ((st = rotator_postgres_test_login(current, err)) != STATUS_OK)
		goto out;
	if ((st = login(master, &conn, err)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((pending_ident = lib.PQescapeIdentifier(conn, pending->username,
	    strlen(pending->username))) == NULL ||
	    (current_ident = lib.PQescapeIdentifier(conn, current->username,
	    strlen(current->username))) == NULL)
		goto out;
	if ((st = sql_run(conn, master, "BEGIN", "BEGIN", err)) != STATUS_OK)
		goto out;
	in_transaction = true;
	if ((st = role_exists(conn, master, pending->username, &exists,
	    err)) != STATUS_OK)
		goto out;
	if ((st = password_clause(conn, master, pending->username,
	    pending->password, &clause, err)) != STATUS_OK)
		goto out;
	if (!exists) {
		if ((st = statement_make("CREATE ROLE ", pending_ident,
		    " WITH LOGIN", clause, &sql)) != STATUS_OK)
			goto out;
		if ((st = sql_run(conn, master, "creating the alternate role",
		    (const char *)sql->data, err)) != STATUS_OK)
			goto out;
		if (asprintf(&grant, "GRANT %s TO %s", current_ident,
		    pending_ident) < 0) {
			grant = NULL;
			st = STATUS_NO_MEMORY;
			goto out;
		}
		if ((st = sql_run(conn, master, "granting the current role to "
		    "the alternate role", grant, err)) != STATUS_OK)
			goto out;
	} else {
		if ((st = statement_make("ALTER ROLE ", pending_ident,
		    " WITH", clause, &sql)) != STATUS_OK)
			goto out;
		if ((st = sql_run(conn, master, "setting the alternate role's "
		    "password", (const char *)sql->data, err)) != STATUS_OK)
			goto out;
	}
	if ((st = sql_run(conn, master, "COMMIT", "COMMIT", err)) != STATUS_OK)
		goto out;
	in_transaction = false;
	if (!exists)
		log_info("rotation: PostgreSQL at %s:%d: created the role %s "
		    "as the alternate of %s", master->host, port_of(master),
		    pending->username, current->username);
	log_info("rotation: PostgreSQL at %s:%d: %s has a new password "
	    "(alternate of %s)", master->host, port_of(master),
	    pending->username, current->username);
	st = STATUS_OK;
out:
	if (in_transaction)
		lib.PQclear(lib.PQexec(conn, "ROLLBACK"));
	if (pending_ident != NULL)
		lib.PQfreemem(pending_ident);
	if (current_ident != NULL)
		lib.PQfreemem(current_ident);
	free(grant);
	secret_buf_free(clause);
	secret_buf_free(sql);
	if (conn != NULL)
		lib.PQfinish(conn);
	return st;
}

static enum status
rotator_postgres_set_password(enum rotation_strategy strategy,
    const struct db_credentials *current, const struct db_credentials *pending,
    const struct db_credentials *master, struct error *err)
{
	if (pending->password == NULL || pending->password->len == 0 ||
	    memchr(pending->password->data, '\0', pending->password->len) !=
	    NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "the new "
		    "password is empty or contains a NUL character");
	if (!same_server(current, pending))
		return error_set(err, STATUS_INVALID_PARAMETER, "the pending "
		    "version's database (%s:%d) is not the current one's "
		    "(%s:%d)", pending->host, port_of(pending), current->host,
		    port_of(current));
	if (strategy == ROTATION_SINGLE_USER) {
		if (strcmp(current->username, pending->username) != 0)
			return error_set(err, STATUS_INVALID_PARAMETER, "the "
			    "pending version's user %s is not the secret's "
			    "user %s (single user rotation changes one user's "
			    "password)", pending->username, current->username);
		return set_own_password(current, pending, err);
	}
	return set_alternate_password(current, pending, master, err);
}

const struct rotator_ops rotator_postgres = {
	.engine = "postgres",
	.test_login = rotator_postgres_test_login,
	.set_password = rotator_postgres_set_password,
};
