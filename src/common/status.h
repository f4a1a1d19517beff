/*
 * status.h: the one status type every layer returns, and the error carrier
 * that travels with it.
 *
 * Each value maps onto at most one AWS error type; the mapping to HTTP
 * status, `__type` and default message lives in one table in api/errors.c.
 * A `struct error` carries the client-facing message the lowest layer that
 * knows the details chose.  Messages never contain secret values, SQL or
 * file paths.
 */
#ifndef SESAME_STATUS_H
#define SESAME_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum status {
	STATUS_OK = 0,

	/* Secrets Manager / KMS service errors */
	STATUS_NOT_FOUND,		/* ResourceNotFoundException */
	STATUS_EXISTS,			/* ResourceExistsException */
	STATUS_INVALID_PARAMETER,	/* InvalidParameterException */
	STATUS_INVALID_REQUEST,		/* InvalidRequestException */
	STATUS_INVALID_NEXT_TOKEN,	/* InvalidNextTokenException */
	STATUS_LIMIT_EXCEEDED,		/* LimitExceededException */
	STATUS_ENCRYPTION_FAILURE,	/* EncryptionFailure */
	STATUS_DECRYPTION_FAILURE,	/* DecryptionFailure */
	STATUS_MALFORMED_POLICY,	/* MalformedPolicyDocumentException */
	STATUS_PRECONDITION_NOT_MET,	/* PreconditionNotMetException */
	STATUS_PUBLIC_POLICY,		/* PublicPolicyException */
	STATUS_ACCESS_DENIED,		/* AccessDeniedException */
	STATUS_VALIDATION,		/* ValidationException (model constraints) */

	/* KMS service errors (api/kms.c names them; NOT_FOUND is KMS's
	 * NotFoundException, EXISTS its AlreadyExistsException) */
	STATUS_KMS_DISABLED,		/* DisabledException */
	STATUS_KMS_INVALID_STATE,	/* KMSInvalidStateException */
	STATUS_KMS_INVALID_CIPHERTEXT,	/* InvalidCiphertextException */
	STATUS_KMS_INCORRECT_KEY,	/* IncorrectKeyException */
	STATUS_KMS_INVALID_KEY_USAGE,	/* InvalidKeyUsageException */
	STATUS_KMS_INVALID_ALIAS_NAME,	/* InvalidAliasNameException */
	STATUS_KMS_INVALID_ARN,		/* InvalidArnException */
	STATUS_KMS_TAG,			/* TagException */
	STATUS_KMS_UNSUPPORTED,		/* UnsupportedOperationException */
	STATUS_KMS_DRY_RUN,		/* DryRunOperationException */

	/* protocol errors */
	STATUS_SERIALIZATION,		/* SerializationException (bad JSON) */
	STATUS_UNKNOWN_OPERATION,	/* UnknownOperationException */
	STATUS_REQUEST_TOO_LARGE,	/* 413 RequestEntityTooLarge */

	/* authentication errors */
	STATUS_MISSING_AUTH,		/* MissingAuthenticationTokenException */
	STATUS_INCOMPLETE_SIGNATURE,	/* IncompleteSignatureException */
	STATUS_INVALID_SIGNATURE,	/* InvalidSignatureException */
	STATUS_UNRECOGNIZED_CLIENT,	/* UnrecognizedClientException */
	STATUS_EXPIRED_TOKEN,		/* ExpiredTokenException */

	/* internal: never leave the process with details */
	STATUS_NO_MEMORY,		/* InternalServiceError */
	STATUS_IO,			/* InternalServiceError */
	STATUS_CORRUPT,			/* InternalServiceError: stored data failed a check */
	STATUS_INTERNAL,		/* InternalServiceError */

	STATUS__COUNT
};

#define ERROR_MESSAGE_MAX 1024

struct error {
	enum status	 status;
	char		 message[ERROR_MESSAGE_MAX];
};

/* Record st and a printf-style message in err (which may be NULL); returns st. */
enum status	 error_set(struct error *err, enum status st, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
enum status	 error_setv(struct error *err, enum status st, const char *fmt,
		    va_list ap) __attribute__((format(printf, 3, 0)));
void		 error_clear(struct error *err);

/* Short internal name ("NOT_FOUND"), for logs. */
const char	*status_name(enum status st);

#endif
