/*
 * rotator_mysql.c: the built-in rotator for MySQL and MariaDB (libmariadb).
 *
 * Single user: log in as the secret's user and change its own password
 * (MariaDB: SET PASSWORD = PASSWORD(...); MySQL 5.7.6 and later: ALTER USER
 * CURRENT_USER() IDENTIFIED BY ...).  Alternating users: prove
 * the secret's current login works (so a secret cannot borrow the master to
 * take over a user it does not already hold), then log in as the master
 * from masterarn and give the other user of the pair (<username>_clone, or
 * <username> for a clone) the new password, creating it first on every
 * host the current user has, with the current user's grants copied from
 * SHOW GRANTS.  A user created here stays locked (ACCOUNT LOCK) until its
 * grants are in place, so a rotation interrupted half-way never leaves a
 * usable login without its privileges; the next attempt copies the grants
 * again and unlocks it.  Existing connections are never killed.
 *
 * Every value that reaches SQL is quoted by the server's own function,
 * mysql_real_escape_string(), on the connection that runs the statement.
 * Connections use TCP to host:port (never a local socket), time out after
 * CONNECT_TIMEOUT_SECONDS, and use TLS when the server offers it (without
 * verifying its certificate: it protects against a passive eavesdropper,
 * not an active one).  LOAD DATA LOCAL is off, so a hostile server cannot
 * read local files, and only authentication plugins that never send the
 * password in clear are allowed (AUTH_PLUGINS).
 *
 * Messages name the host, port and user, never a password: a statement
 * that carries one reports the server's error number, and its text only
 * when it is not a syntax error and does not contain the password.
 *
 * The client library is loaded on the first login (mysql_client.h), not
 * linked: a server that never rotates a MySQL secret never maps it.
 *
 * Thread-safety: reentrant once the library is loaded and
 * mysql_library_init has run (pthread_once).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "rotation/mysql_client.h"
#include "rotation/rotator.h"

#define MYSQL_DEFAULT_PORT		3306
#define CONNECT_TIMEOUT_SECONDS		5
#define IO_TIMEOUT_SECONDS		10
#define CLONE_SUFFIX			"_clone"
#define ER_PARSE_ERROR_CODE		1064	/* its text quotes the SQL */
#define HOSTS_MAX			16
/* Authentication that never hands the server the password in clear
 * (no mysql_clear_password, no dialog, no mysql_old_password). */
#define AUTH_PLUGINS	"mysql_native_password,client_ed25519," \
			"caching_sha2_password,sha256_password"

static pthread_once_t	 library_once = PTHREAD_ONCE_INIT;
static struct mysql_client lib;		/* filled once by library_init */
static enum status	 library_status;
static struct error	 library_error;

static void
library_init(void)
{
	if ((library_status = mysql_client_load(&lib, &library_error)) !=
	    STATUS_OK)
		return;
	if (lib.mysql_server_init(0, NULL, NULL) != 0)
		library_status = error_set(&library_error, STATUS_INTERNAL,
		    "the MySQL client library could not be initialised");
}

static int
port_of(const struct db_credentials *c)
{
	return c->port > 0 ? c->port : MYSQL_DEFAULT_PORT;
}

/* Log in as c over TCP; *out on success. */
static enum status
login(const struct db_credentials *c, MYSQL **out, struct error *err)
{
	MYSQL		*m = NULL;
	unsigned int	 connect_timeout = CONNECT_TIMEOUT_SECONDS;
	unsigned int	 io_timeout = IO_TIMEOUT_SECONDS;
	unsigned int	 protocol = MYSQL_PROTOCOL_TCP;
	unsigned int	 local_infile = 0;
	my_bool		 verify = 0;
	enum status	 st = STATUS_NO_MEMORY;

	pthread_once(&library_once, library_init);
	if (library_status != STATUS_OK)
		return error_set(err, library_status, "%s",
		    library_error.message);
	if (c->password == NULL ||
	    memchr(c->password->data, '\0', c->password->len) != NULL)
		return error_set(err, STATUS_INVALID_PARAMETER, "the password "
		    "of %s contains a NUL character", c->username);
	if ((m = lib.mysql_init(NULL)) == NULL)
		goto out;
	if (lib.mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT,
	    &connect_timeout) ||
	    lib.mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &io_timeout) ||
	    lib.mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout) ||
	    lib.mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &protocol) ||
	    lib.mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &local_infile) ||
	    lib.mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4") ||
	    lib.mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify) ||
	    lib.mysql_optionsv(m, MARIADB_OPT_RESTRICTED_AUTH, AUTH_PLUGINS) ||
	    lib.mysql_ssl_set(m, NULL, NULL, NULL, NULL, NULL)) {
		st = error_set(err, STATUS_INTERNAL, "cannot set the MySQL "
		    "connection's options");
		goto out;
	}
	if (lib.mysql_real_connect(m, c->host, c->username,
	    (const char *)c->password->data, c->dbname, (unsigned)port_of(c),
	    NULL, 0) == NULL) {
		st = error_set(err, STATUS_INVALID_REQUEST, "cannot log in to "
		    "MySQL at %s:%d as %s: %s", c->host, port_of(c),
		    c->username, lib.mysql_error(m));
		goto out;
	}
	*out = m;
	m = NULL;
	st = STATUS_OK;
out:
	if (m != NULL)
		lib.mysql_close(m);
	return st;
}

static enum status
rotator_mysql_test_login(const struct db_credentials *c, struct error *err)
{
	MYSQL		*m = NULL;
	enum status	 st;

	if ((st = login(c, &m, err)) != STATUS_OK)
		return st;
	lib.mysql_close(m);
	return STATUS_OK;
}

/* ---- statements ---- */

static enum status
sql_append(struct secret_buf *sql, const char *text)
{
	return secret_buf_append(sql, text, strlen(text));
}

/* Append 'value', quoted by the server's rules for this connection. */
static enum status
sql_append_quoted(MYSQL *m, struct secret_buf *sql, const void *value,
    size_t len)
{
	struct secret_buf	*escaped = NULL;
	unsigned long		 n;
	enum status		 st = STATUS_NO_MEMORY;

	if (len > (SIZE_MAX - 2) / 2 ||
	    (escaped = secret_buf_new(2 * len + 1)) == NULL)
		goto out;
	n = lib.mysql_real_escape_string(m, (char *)escaped->data, value,
	    (unsigned long)len);
	if (n == (unsigned long)-1) {
		st = STATUS_INVALID_PARAMETER;
		goto out;
	}
	escaped->len = n;
	if ((st = sql_append(sql, "'")) != STATUS_OK ||
	    (st = secret_buf_append(sql, escaped->data, escaped->len)) !=
	    STATUS_OK ||
	    (st = sql_append(sql, "'")) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	secret_buf_free(escaped);
	return st;
}

/* Append 'user'@'host'. */
static enum status
sql_append_account(MYSQL *m, struct secret_buf *sql, const char *user,
    const char *host)
{
	enum status	 st;

	if ((st = sql_append_quoted(m, sql, user, strlen(user))) != STATUS_OK ||
	    (st = sql_append(sql, "@")) != STATUS_OK)
		return st;
	return sql_append_quoted(m, sql, host, strlen(host));
}

/*
 * Run sql.  what names the statement in messages.  When the statement
 * carries password, the server's text is reported only when it can not
 * quote it.
 */
static enum status
sql_run(MYSQL *m, const struct db_credentials *as, const char *what,
    const struct secret_buf *sql, const struct secret_buf *password,
    struct error *err)
{
	const char	*message;
	unsigned int	 code;
	MYSQL_RES	*res;

	if (lib.mysql_real_query(m, (const char *)sql->data,
	    (unsigned long)sql->len) == 0) {
		/* Drain a result set, if any, so the connection stays usable. */
		if ((res = lib.mysql_store_result(m)) != NULL)
			lib.mysql_free_result(res);
		return STATUS_OK;
	}
	code = lib.mysql_errno(m);
	message = lib.mysql_error(m);
	if (password != NULL && (code == ER_PARSE_ERROR_CODE ||
	    (password->len > 0 && memmem(message, strlen(message),
	    password->data, password->len) != NULL)))
		message = "the server's message is withheld because it may "
		    "quote the password";
	return error_set(err, STATUS_INVALID_REQUEST, "MySQL at %s:%d: %s "
	    "failed as %s (error %u, SQLSTATE %s): %s", as->host, port_of(as),
	    what, as->username, code, lib.mysql_sqlstate(m), message);
}

/* Run a query without a password and keep its result. */
static enum status
sql_query(MYSQL *m, const struct db_credentials *as, const char *what,
    const struct secret_buf *sql, MYSQL_RES **out, struct error *err)
{
	MYSQL_RES	*res;

	if (lib.mysql_real_query(m, (const char *)sql->data,
	    (unsigned long)sql->len) != 0 ||
	    (res = lib.mysql_store_result(m)) == NULL)
		return error_set(err, STATUS_INVALID_REQUEST, "MySQL at %s:%d: "
		    "%s failed as %s (error %u, SQLSTATE %s): %s", as->host,
		    port_of(as), what, as->username, lib.mysql_errno(m),
		    lib.mysql_sqlstate(m), lib.mysql_errno(m) != 0 ?
		    lib.mysql_error(m) : "no result");
	*out = res;
	return STATUS_OK;
}

/* ---- single user ---- */

/*
 * How a user changes its own password without privileges: MariaDB (and
 * MySQL before 5.7.6) asks for SET PASSWORD = PASSWORD(...), which MariaDB
 * hashes with the account's own plugin; its ALTER USER needs CREATE USER
 * even for oneself.  MySQL 5.7.6 and later take ALTER USER CURRENT_USER().
 */
static const char *
own_password_statement(MYSQL *m)
{
	const char	*info = lib.mysql_get_server_info(m);

	if ((info != NULL && strstr(info, "MariaDB") != NULL) ||
	    lib.mysql_get_server_version(m) < 50706)
		return "SET PASSWORD = PASSWORD(";
	return "ALTER USER CURRENT_USER() IDENTIFIED BY ";
}

static enum status
set_own_password(const struct db_credentials *current,
    const struct db_credentials *pending, struct error *err)
{
	MYSQL			*m = NULL;
	struct secret_buf	*sql = NULL;
	enum status		 st;

	if ((st = login(current, &m, err)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((sql = secret_buf_new(128)) == NULL ||
	    sql_append(sql, own_password_statement(m)) != STATUS_OK ||
	    sql_append_quoted(m, sql, pending->password->data,
	    pending->password->len) != STATUS_OK ||
	    (strstr(own_password_statement(m), "PASSWORD(") != NULL &&
	    sql_append(sql, ")") != STATUS_OK))
		goto out;
	if ((st = sql_run(m, current, "changing the user's own password", sql,
	    pending->password, err)) != STATUS_OK)
		goto out;
	log_info("rotation: MySQL at %s:%d: %s changed its own password",
	    current->host, port_of(current), current->username);
	st = STATUS_OK;
out:
	secret_buf_free(sql);
	if (m != NULL)
		lib.mysql_close(m);
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

struct hosts {
	char	*names[HOSTS_MAX];
	size_t	 count;
};

static void
hosts_cleanup(struct hosts *h)
{
	for (size_t i = 0; i < h->count; i++)
		free(h->names[i]);
	memset(h, 0, sizeof(*h));
}

/* The hosts user has in mysql.user. */
static enum status
hosts_of(MYSQL *m, const struct db_credentials *as, const char *user,
    const char *host, struct hosts *out, struct error *err)
{
	struct secret_buf	*sql = NULL;
	MYSQL_RES		*res = NULL;
	MYSQL_ROW		 row;
	enum status		 st = STATUS_NO_MEMORY;

	if ((sql = secret_buf_new(128)) == NULL ||
	    sql_append(sql, "SELECT Host FROM mysql.user WHERE User = ") !=
	    STATUS_OK ||
	    sql_append_quoted(m, sql, user, strlen(user)) != STATUS_OK)
		goto out;
	if (host != NULL && (sql_append(sql, " AND Host = ") != STATUS_OK ||
	    sql_append_quoted(m, sql, host, strlen(host)) != STATUS_OK))
		goto out;
	if (sql_append(sql, " ORDER BY Host") != STATUS_OK)
		goto out;
	if ((st = sql_query(m, as, "reading mysql.user", sql, &res, err)) !=
	    STATUS_OK)
		goto out;
	while ((row = lib.mysql_fetch_row(res)) != NULL) {
		if (out->count == HOSTS_MAX) {
			st = error_set(err, STATUS_INVALID_REQUEST, "MySQL at "
			    "%s:%d: the user %s has more than %d hosts",
			    as->host, port_of(as), user, HOSTS_MAX);
			goto out;
		}
		if ((out->names[out->count] = strdup(row[0] != NULL ? row[0] :
		    "")) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		out->count++;
	}
	st = STATUS_OK;
out:
	if (res != NULL)
		lib.mysql_free_result(res);
	secret_buf_free(sql);
	return st;
}

/* How SHOW GRANTS writes an account: `user`@`host` ('user'@'host' on
 * older servers and in PROXY lines), quote characters doubled. */
static char *
grantee_text(const char *user, const char *host, char quote)
{
	size_t	 len = 6 + 2 * (strlen(user) + strlen(host));
	char	*text, *p;

	if ((text = malloc(len)) == NULL)
		return NULL;
	p = text;
	*p++ = quote;
	for (const char *s = user; *s != '\0'; s++) {
		if (*s == quote)
			*p++ = quote;
		*p++ = *s;
	}
	*p++ = quote;
	*p++ = '@';
	*p++ = quote;
	for (const char *s = host; *s != '\0'; s++) {
		if (*s == quote)
			*p++ = quote;
		*p++ = *s;
	}
	*p++ = quote;
	*p = '\0';
	return text;
}

/*
 * One line of SHOW GRANTS FOR from, rewritten for to: the part before
 * " TO <from>" (or " FOR <from>", SET DEFAULT ROLE) is kept, the account
 * replaced, and of what follows only WITH GRANT OPTION / WITH ADMIN
 * OPTION (never IDENTIFIED BY, which would copy the password).
 * STATUS_NOT_FOUND when the line does not name from.
 */
static enum status
grant_rewrite(MYSQL *m, const char *line, const char *from_user,
    const char *from_host, const char *to_user, const char *to_host,
    struct secret_buf *out)
{
	static const char *const keywords[] = { " TO ", " FOR " };
	static const char quotes[] = { '`', '\'' };
	const char	*at = NULL, *rest = NULL;
	enum status	 st = STATUS_NO_MEMORY;

	for (size_t q = 0; q < sizeof(quotes) && at == NULL; q++) {
		char *grantee = grantee_text(from_user, from_host, quotes[q]);

		if (grantee == NULL)
			return STATUS_NO_MEMORY;
		for (size_t k = 0; k < 2 && at == NULL; k++) {
			const char *p = line;
			size_t kw = strlen(keywords[k]), g = strlen(grantee);

			while ((p = strstr(p, keywords[k])) != NULL) {
				if (strncmp(p + kw, grantee, g) == 0 &&
				    (p[kw + g] == '\0' || p[kw + g] == ' ')) {
					at = p + kw;
					rest = p + kw + g;
					break;
				}
				p++;
			}
		}
		free(grantee);
	}
	if (at == NULL)
		return STATUS_NOT_FOUND;
	if (secret_buf_append(out, line, (size_t)(at - line)) != STATUS_OK ||
	    sql_append_account(m, out, to_user, to_host) != STATUS_OK)
		goto out;
	if (strstr(rest, " WITH GRANT OPTION") != NULL &&
	    sql_append(out, " WITH GRANT OPTION") != STATUS_OK)
		goto out;
	if (strstr(rest, " WITH ADMIN OPTION") != NULL &&
	    sql_append(out, " WITH ADMIN OPTION") != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	return st;
}

/* Give to@host every grant from@host has (grants only add). */
static enum status
grants_copy(MYSQL *m, const struct db_credentials *master, const char *from,
    const char *to, const char *host, struct error *err)
{
	struct secret_buf	*sql = NULL, *grant = NULL;
	MYSQL_RES		*res = NULL;
	MYSQL_ROW		 row;
	enum status		 st = STATUS_NO_MEMORY;
	size_t			 count = 0;
	char			 what[256];

	if ((sql = secret_buf_new(128)) == NULL ||
	    sql_append(sql, "SHOW GRANTS FOR ") != STATUS_OK ||
	    sql_append_account(m, sql, from, host) != STATUS_OK)
		goto out;
	if ((st = sql_query(m, master, "SHOW GRANTS for the current user",
	    sql, &res, err)) != STATUS_OK)
		goto out;
	while ((row = lib.mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL)
			continue;
		secret_buf_free(grant);
		if ((grant = secret_buf_new(strlen(row[0]) + 64)) == NULL) {
			st = STATUS_NO_MEMORY;
			goto out;
		}
		st = grant_rewrite(m, row[0], from, host, to, host, grant);
		if (st == STATUS_NOT_FOUND) {
			st = error_set(err, STATUS_INVALID_REQUEST, "MySQL at "
			    "%s:%d: a line of SHOW GRANTS for %s does not "
			    "name that user; its grants were not copied to %s",
			    master->host, port_of(master), from, to);
			goto out;
		}
		if (st != STATUS_OK)
			goto out;
		/* The statement holds no password (IDENTIFIED BY is dropped):
		 * naming it tells the administrator which grant failed. */
		snprintf(what, sizeof(what), "copying the grant \"%.*s\"",
		    (int)(grant->len < 200 ? grant->len : 200),
		    (const char *)grant->data);
		if ((st = sql_run(m, master, what, grant, NULL, err)) !=
		    STATUS_OK)
			goto out;
		count++;
	}
	if (lib.mysql_errno(m) != 0) {
		st = error_set(err, STATUS_INVALID_REQUEST, "MySQL at %s:%d: "
		    "reading SHOW GRANTS failed (error %u): %s", master->host,
		    port_of(master), lib.mysql_errno(m), lib.mysql_error(m));
		goto out;
	}
	log_debug("rotation: MySQL at %s:%d: copied %zu grants of %s to %s",
	    master->host, port_of(master), count, from, to);
	st = STATUS_OK;
out:
	if (res != NULL)
		lib.mysql_free_result(res);
	secret_buf_free(sql);
	secret_buf_free(grant);
	return st;
}

/* Create (locked) or update to@host, copy the grants, set the password. */
static enum status
alternate_set(MYSQL *m, const struct db_credentials *master,
    const struct db_credentials *current,
    const struct db_credentials *pending, const char *host, struct error *err)
{
	struct hosts		 existing;
	struct secret_buf	*sql = NULL;
	enum status		 st;

	memset(&existing, 0, sizeof(existing));
	if ((st = hosts_of(m, master, pending->username, host, &existing,
	    err)) != STATUS_OK)
		goto out;
	if (existing.count == 0) {
		st = STATUS_NO_MEMORY;
		if ((sql = secret_buf_new(256)) == NULL ||
		    sql_append(sql, "CREATE USER ") != STATUS_OK ||
		    sql_append_account(m, sql, pending->username, host) !=
		    STATUS_OK ||
		    sql_append(sql, " IDENTIFIED BY ") != STATUS_OK ||
		    sql_append_quoted(m, sql, pending->password->data,
		    pending->password->len) != STATUS_OK ||
		    sql_append(sql, " ACCOUNT LOCK") != STATUS_OK)
			goto out;
		if ((st = sql_run(m, master, "creating the alternate user", sql,
		    pending->password, err)) != STATUS_OK)
			goto out;
		log_info("rotation: MySQL at %s:%d: created the user %s "
		    "(host %s) as the alternate of %s", master->host,
		    port_of(master), pending->username, host,
		    current->username);
		secret_buf_free(sql);
		sql = NULL;
	}
	if ((st = grants_copy(m, master, current->username, pending->username,
	    host, err)) != STATUS_OK)
		goto out;
	st = STATUS_NO_MEMORY;
	if ((sql = secret_buf_new(256)) == NULL ||
	    sql_append(sql, "ALTER USER ") != STATUS_OK ||
	    sql_append_account(m, sql, pending->username, host) != STATUS_OK ||
	    sql_append(sql, " IDENTIFIED BY ") != STATUS_OK ||
	    sql_append_quoted(m, sql, pending->password->data,
	    pending->password->len) != STATUS_OK ||
	    sql_append(sql, " ACCOUNT UNLOCK") != STATUS_OK)
		goto out;
	if ((st = sql_run(m, master, "setting the alternate user's password",
	    sql, pending->password, err)) != STATUS_OK)
		goto out;
	st = STATUS_OK;
out:
	hosts_cleanup(&existing);
	secret_buf_free(sql);
	return st;
}

static enum status
set_alternate_password(const struct db_credentials *current,
    const struct db_credentials *pending, const struct db_credentials *master,
    struct error *err)
{
	struct hosts	 hosts;
	MYSQL		*m = NULL;
	enum status	 st;

	memset(&hosts, 0, sizeof(hosts));
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
	if ((st = rotator_mysql_test_login(current, err)) != STATUS_OK)
		goto out;
	if ((st = login(master, &m, err)) != STATUS_OK)
		goto out;
	if ((st = hosts_of(m, master, current->username, NULL, &hosts, err)) !=
	    STATUS_OK)
		goto out;
	if (hosts.count == 0) {
		st = error_set(err, STATUS_INVALID_REQUEST, "MySQL at %s:%d: "
		    "the user %s is not in mysql.user", master->host,
		    port_of(master), current->username);
		goto out;
	}
	for (size_t i = 0; i < hosts.count; i++)
		if ((st = alternate_set(m, master, current, pending,
		    hosts.names[i], err)) != STATUS_OK)
			goto out;
	log_info("rotation: MySQL at %s:%d: %s has a new password (alternate "
	    "of %s)", master->host, port_of(master), pending->username,
	    current->username);
	st = STATUS_OK;
out:
	hosts_cleanup(&hosts);
	if (m != NULL)
		lib.mysql_close(m);
	return st;
}

static enum status
rotator_mysql_set_password(enum rotation_strategy strategy,
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

const struct rotator_ops rotator_mysql = {
	.engine = "mysql",
	.test_login = rotator_mysql_test_login,
	.set_password = rotator_mysql_set_password,
};
