/*
 * db_credentials.c: the database login a secret holds, in the JSON format
 * AWS uses for RDS secrets, and the table of built-in rotators.
 *
 *   {"engine": "mysql", "host": "db.example", "port": 3306,
 *    "username": "app", "password": "...", "dbname": "app",
 *    "masterarn": "arn:aws:secretsmanager:..."}
 *
 * host, username and password are required; port defaults to the engine's
 * (3306, 5432), as a number or a string of digits.  The password only ever
 * lives in a secret_buf here.
 *
 * The rotators are referenced weakly: a build without rotator_mysql.c or
 * rotator_postgres.c links, and rotator_for_engine answers NULL for the
 * engine it lacks (RotateSecret then refuses that built-in clearly).
 *
 * Thread-safety: reentrant.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rotation/rotation.h"

#pragma weak rotator_mysql
#pragma weak rotator_postgres

static char *
field_string(const json_t *o, const char *name)
{
	const json_t *v = json_object_get(o, name);

	if (!json_is_string(v))
		return NULL;
	return strdup(json_string_value(v));
}

enum status
db_credentials_parse(const struct secret_buf *json, struct db_credentials *out,
    struct error *err)
{
	static const char *const required[] = { "host", "username",
	    "password" };
	struct db_credentials c;
	json_t		*o = NULL, *port;
	json_error_t	 jerr;
	enum status	 st = STATUS_NO_MEMORY;

	memset(&c, 0, sizeof(c));
	if (json == NULL || (o = json_loadb((const char *)json->data, json->len,
	    JSON_REJECT_DUPLICATES, &jerr)) == NULL || !json_is_object(o)) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "value is not a JSON object with the database login");
		goto out;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const json_t *v = json_object_get(o, required[i]);

		if (!json_is_string(v) || json_string_length(v) == 0) {
			st = error_set(err, STATUS_INVALID_PARAMETER, "the "
			    "secret's value has no \"%s\" field", required[i]);
			goto out;
		}
	}
	if ((c.host = field_string(o, "host")) == NULL ||
	    (c.username = field_string(o, "username")) == NULL)
		goto out;
	if ((c.password = secret_buf_from(json_string_value(json_object_get(o,
	    "password")), json_string_length(json_object_get(o,
	    "password")))) == NULL)
		goto out;
	if ((json_object_get(o, "engine") != NULL &&
	    (c.engine = field_string(o, "engine")) == NULL) ||
	    (json_object_get(o, "dbname") != NULL &&
	    (c.dbname = field_string(o, "dbname")) == NULL) ||
	    (json_object_get(o, "masterarn") != NULL &&
	    (c.masterarn = field_string(o, "masterarn")) == NULL)) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "\"engine\", \"dbname\" and \"masterarn\" must be strings");
		goto out;
	}
	port = json_object_get(o, "port");
	if (json_is_integer(port)) {
		c.port = (int)json_integer_value(port);
		if (json_integer_value(port) < 1 ||
		    json_integer_value(port) > 65535)
			c.port = -1;
	} else if (json_is_string(port)) {
		const char	*p = json_string_value(port);
		char		*end;
		long		 v = strtol(p, &end, 10);

		c.port = *p != '\0' && *end == '\0' && v >= 1 && v <= 65535 ?
		    (int)v : -1;
	} else if (port != NULL)
		c.port = -1;
	if (c.port < 0) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "the secret's "
		    "\"port\" is not a port number");
		goto out;
	}
	*out = c;
	memset(&c, 0, sizeof(c));
	st = STATUS_OK;
out:
	json_decref(o);
	db_credentials_cleanup(&c);
	return st;
}

void
db_credentials_cleanup(struct db_credentials *c)
{
	if (c == NULL)
		return;
	free(c->engine);
	free(c->host);
	free(c->username);
	secret_buf_free(c->password);
	free(c->dbname);
	free(c->masterarn);
	memset(c, 0, sizeof(*c));
}

const struct rotator_ops *
rotator_for_engine(const char *engine)
{
	static const char *const mysql[] = { "mysql", "mariadb",
	    "aurora-mysql", NULL };
	static const char *const postgres[] = { "postgres", "postgresql",
	    "aurora-postgresql", NULL };

	if (engine == NULL)
		return NULL;
	for (size_t i = 0; mysql[i] != NULL; i++)
		if (strcmp(engine, mysql[i]) == 0)
			return &rotator_mysql != NULL ? &rotator_mysql : NULL;
	for (size_t i = 0; postgres[i] != NULL; i++)
		if (strcmp(engine, postgres[i]) == 0)
			return &rotator_postgres != NULL ? &rotator_postgres :
			    NULL;
	return NULL;
}

/* ---- the built-in rotation functions ---- */

static const struct rotation_builtin builtins[] = {
	{ ROTATION_BUILTIN_PREFIX "mysql-single-user", "mysql",
	    ROTATION_SINGLE_USER },
	{ ROTATION_BUILTIN_PREFIX "mysql-alternating-users", "mysql",
	    ROTATION_ALTERNATING_USERS },
	{ ROTATION_BUILTIN_PREFIX "postgres-single-user", "postgres",
	    ROTATION_SINGLE_USER },
	{ ROTATION_BUILTIN_PREFIX "postgres-alternating-users", "postgres",
	    ROTATION_ALTERNATING_USERS },
};

const struct rotation_builtin *
rotation_builtin_find(const char *function_name)
{
	if (function_name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, function_name) == 0)
			return &builtins[i];
	return NULL;
}

const char *
rotation_function_name(const char *arn)
{
	struct arn_parts parts;
	const char	*name;

	return core_lambda_arn_parse(arn, &parts, &name) ? name : NULL;
}
