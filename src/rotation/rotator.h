/*
 * rotator.h: what a rotator does for the four-step rotation protocol.
 *
 * The runner (rotation_run.c) owns the protocol: createSecret (a new
 * password from the GetRandomPassword generator, stored as the AWSPENDING
 * version under the rotation's ClientRequestToken), setSecret, testSecret,
 * finishSecret (AWSCURRENT moves to the pending version, AWSPREVIOUS to the
 * old one).  A rotator supplies the steps that touch the outside world:
 * setSecret and testSecret for a database engine and strategy, plus a
 * pre-flight check used when rotation is configured.
 *
 * Built-in rotators (rotator_mysql.c, rotator_postgres.c) speak to the
 * database with the fields AWS's RDS secrets use:
 *   {"engine": "mysql"|"mariadb"|"postgres", "host": ..., "port": ...,
 *    "username": ..., "password": ..., "dbname": ..., "masterarn": ...}
 * Existing connections are never killed.
 */
#ifndef SESAME_ROTATOR_H
#define SESAME_ROTATOR_H

#include <stdbool.h>

#include "common/status.h"
#include "crypto/crypto.h"

enum rotation_strategy {
	ROTATION_SINGLE_USER,		/* the user changes its own password */
	ROTATION_ALTERNATING_USERS,	/* a superuser (masterarn) keeps a
					 * _clone user; the two alternate */
};

/* One database login, parsed from a secret's JSON value. */
struct db_credentials {
	char			*engine;	/* "mysql", "mariadb", "postgres" */
	char			*host;
	int			 port;
	char			*username;
	struct secret_buf	*password;
	char			*dbname;	/* NULL: engine default */
	char			*masterarn;	/* alternating users: superuser */
};

/* Parse {"engine":..,"host":..} (plaintext in a secret_buf).  Fields other
 * than the ones above are kept aside by the caller, not here.
 * STATUS_INVALID_PARAMETER with a message naming the missing field. */
enum status	 db_credentials_parse(const struct secret_buf *json,
		    struct db_credentials *out, struct error *err);
void		 db_credentials_cleanup(struct db_credentials *c);

struct rotator_ops {
	const char	*engine;		/* "mysql", "postgres" */
	/* Can these credentials log in?  (pre-flight and testSecret) */
	enum status	(*test_login)(const struct db_credentials *c,
			    struct error *err);
	/* Make pending valid in the database.  Single user: log in as
	 * current and change its own password to pending's.  Alternating:
	 * log in as master, create pending->username if missing (granting
	 * it current's privileges), and set its password. */
	enum status	(*set_password)(enum rotation_strategy strategy,
			    const struct db_credentials *current,
			    const struct db_credentials *pending,
			    const struct db_credentials *master,
			    struct error *err);
};

extern const struct rotator_ops rotator_mysql;
extern const struct rotator_ops rotator_postgres;

/* The rotator for an engine name ("mysql", "mariadb", "postgres",
 * "postgresql"); NULL when unknown. */
const struct rotator_ops *rotator_for_engine(const char *engine);

#endif
