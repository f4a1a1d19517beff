/*
 * rotation_functions.c: the registry of external rotation functions.
 *
 * A function is registered under a Lambda-style ARN
 * (arn:aws:lambda:REGION:ACCOUNT:function:NAME) so that RotationLambdaARN
 * names it as it would name a Lambda function on AWS.  Names starting with
 * "sesame-builtin-" are reserved for the built-in rotators.  What a
 * function runs (a command or a URL) is checked by rotation/ before it is
 * registered; this file keeps the rows.
 *
 * Thread-safety: reentrant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

enum status
core_rotation_function_register(const struct core_env *env,
    const struct rotation_function_record *rec, struct error *err)
{
	struct store_txn	*txn = NULL;
	struct arn_parts	 parts;
	const char		*name;
	enum status		 st;

	if (!core_lambda_arn_parse(rec->arn, &parts, &name))
		return error_set(err, STATUS_INVALID_PARAMETER, "'%s' is not a "
		    "Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:"
		    "function:NAME, NAME of letters, digits, - and _)",
		    rec->arn != NULL ? rec->arn : "");
	if (strncmp(name, ROTATION_BUILTIN_PREFIX,
	    strlen(ROTATION_BUILTIN_PREFIX)) == 0)
		return error_set(err, STATUS_INVALID_PARAMETER, "function names "
		    "starting with %s are reserved for the built-in rotators",
		    ROTATION_BUILTIN_PREFIX);
	if (strcmp(rec->kind, ROTATION_FUNCTION_COMMAND) != 0 &&
	    strcmp(rec->kind, ROTATION_FUNCTION_URL) != 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "a function is a command or a url");
	if (rec->timeout_seconds < 0 || rec->timeout_seconds > 900)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "the timeout is 1 to 900 seconds (0: the server's default)");
	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_function_put(txn, rec)) != STATUS_OK) {
		if (st == STATUS_EXISTS)
			error_set(err, st, "a function is already registered as "
			    "%s; remove it first", rec->arn);
		goto out;
	}
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	return st;
}

enum status
core_rotation_function_get(const struct core_env *env, const char *arn,
    struct rotation_function_record *out)
{
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_rotation_function_get(txn, arn, out);
	store_rollback(txn);
	return st;
}

enum status
core_rotation_function_list(const struct core_env *env,
    struct rotation_function_record **out, size_t *count)
{
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->store, false, &txn)) != STATUS_OK)
		return st;
	st = store_rotation_function_list(txn, out, count);
	store_rollback(txn);
	return st;
}

enum status
core_rotation_function_remove(const struct core_env *env, const char *arn,
    struct error *err)
{
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->store, true, &txn)) != STATUS_OK)
		goto out;
	if ((st = store_rotation_function_delete(txn, arn)) != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			error_set(err, st, "no function is registered as %s",
			    arn);
		goto out;
	}
	st = store_commit(txn);
	txn = NULL;
out:
	store_rollback(txn);
	return st;
}
