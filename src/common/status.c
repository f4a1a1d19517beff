/*
 * status.c: the error carrier and the internal names of statuses (for logs).
 */
#include <stdio.h>
#include <string.h>

#include "common/status.h"

static const char *const status_names[STATUS__COUNT] = {
	[STATUS_OK] = "OK",
	[STATUS_NOT_FOUND] = "NOT_FOUND",
	[STATUS_EXISTS] = "EXISTS",
	[STATUS_INVALID_PARAMETER] = "INVALID_PARAMETER",
	[STATUS_INVALID_REQUEST] = "INVALID_REQUEST",
	[STATUS_INVALID_NEXT_TOKEN] = "INVALID_NEXT_TOKEN",
	[STATUS_LIMIT_EXCEEDED] = "LIMIT_EXCEEDED",
	[STATUS_ENCRYPTION_FAILURE] = "ENCRYPTION_FAILURE",
	[STATUS_DECRYPTION_FAILURE] = "DECRYPTION_FAILURE",
	[STATUS_MALFORMED_POLICY] = "MALFORMED_POLICY",
	[STATUS_PRECONDITION_NOT_MET] = "PRECONDITION_NOT_MET",
	[STATUS_PUBLIC_POLICY] = "PUBLIC_POLICY",
	[STATUS_ACCESS_DENIED] = "ACCESS_DENIED",
	[STATUS_VALIDATION] = "VALIDATION",
	[STATUS_KMS_DISABLED] = "KMS_DISABLED",
	[STATUS_KMS_INVALID_STATE] = "KMS_INVALID_STATE",
	[STATUS_KMS_INVALID_CIPHERTEXT] = "KMS_INVALID_CIPHERTEXT",
	[STATUS_KMS_INCORRECT_KEY] = "KMS_INCORRECT_KEY",
	[STATUS_KMS_INVALID_KEY_USAGE] = "KMS_INVALID_KEY_USAGE",
	[STATUS_KMS_INVALID_ALIAS_NAME] = "KMS_INVALID_ALIAS_NAME",
	[STATUS_KMS_INVALID_ARN] = "KMS_INVALID_ARN",
	[STATUS_KMS_TAG] = "KMS_TAG",
	[STATUS_KMS_UNSUPPORTED] = "KMS_UNSUPPORTED",
	[STATUS_KMS_DRY_RUN] = "KMS_DRY_RUN",
	[STATUS_SERIALIZATION] = "SERIALIZATION",
	[STATUS_UNKNOWN_OPERATION] = "UNKNOWN_OPERATION",
	[STATUS_REQUEST_TOO_LARGE] = "REQUEST_TOO_LARGE",
	[STATUS_MISSING_AUTH] = "MISSING_AUTH",
	[STATUS_INCOMPLETE_SIGNATURE] = "INCOMPLETE_SIGNATURE",
	[STATUS_INVALID_SIGNATURE] = "INVALID_SIGNATURE",
	[STATUS_UNRECOGNIZED_CLIENT] = "UNRECOGNIZED_CLIENT",
	[STATUS_EXPIRED_TOKEN] = "EXPIRED_TOKEN",
	[STATUS_NO_MEMORY] = "NO_MEMORY",
	[STATUS_IO] = "IO",
	[STATUS_CORRUPT] = "CORRUPT",
	[STATUS_INTERNAL] = "INTERNAL",
};

enum status
error_setv(struct error *err, enum status st, const char *fmt, va_list ap)
{
	if (err == NULL)
		return st;
	err->status = st;
	if (fmt == NULL)
		err->message[0] = '\0';
	else
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return st;
}

enum status
error_set(struct error *err, enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_setv(err, st, fmt, ap);
	va_end(ap);
	return st;
}

void
error_clear(struct error *err)
{
	if (err == NULL)
		return;
	err->status = STATUS_OK;
	err->message[0] = '\0';
}

const char *
status_name(enum status st)
{
	if ((unsigned)st >= STATUS__COUNT || status_names[st] == NULL)
		return "UNKNOWN";
	return status_names[st];
}
