/*
 * errors.c: the one table from status to HTTP status, AWS error type and
 * default message.  Secrets Manager answers every error of its own with
 * status 400; internal failures are 500 and never carry details.
 */
#include "api/api.h"

static const struct api_error_info error_table[STATUS__COUNT] = {
	[STATUS_NOT_FOUND] = { 400, "ResourceNotFoundException",
	    "Secrets Manager can't find the specified secret.", false },
	[STATUS_EXISTS] = { 400, "ResourceExistsException",
	    "The resource already exists.", false },
	[STATUS_INVALID_PARAMETER] = { 400, "InvalidParameterException",
	    "The parameter is not valid.", false },
	[STATUS_INVALID_REQUEST] = { 400, "InvalidRequestException",
	    "The request is not valid for the current state of the resource.",
	    false },
	[STATUS_INVALID_NEXT_TOKEN] = { 400, "InvalidNextTokenException",
	    "The NextToken value is invalid.", false },
	[STATUS_LIMIT_EXCEEDED] = { 400, "LimitExceededException",
	    "The request failed because it would exceed a quota.", false },
	[STATUS_ENCRYPTION_FAILURE] = { 400, "EncryptionFailure",
	    "Secrets Manager can't encrypt the secret value.", false },
	[STATUS_DECRYPTION_FAILURE] = { 400, "DecryptionFailure",
	    "Secrets Manager can't decrypt the protected secret text using the "
	    "provided KMS key.", false },
	[STATUS_MALFORMED_POLICY] = { 400, "MalformedPolicyDocumentException",
	    "The resource policy has syntax errors.", false },
	[STATUS_PRECONDITION_NOT_MET] = { 400, "PreconditionNotMetException",
	    "The request failed because a precondition was not met.", false },
	[STATUS_PUBLIC_POLICY] = { 400, "PublicPolicyException",
	    "The resource policy grants public access.", false },
	[STATUS_ACCESS_DENIED] = { 400, "AccessDeniedException",
	    "Access denied.", false },
	[STATUS_VALIDATION] = { 400, "ValidationException",
	    "The input fails to satisfy the constraints.", false },
	[STATUS_SERIALIZATION] = { 400, "SerializationException",
	    "The request body could not be read.", true },
	[STATUS_UNKNOWN_OPERATION] = { 400, "UnknownOperationException",
	    NULL, true },
	[STATUS_REQUEST_TOO_LARGE] = { 413, "RequestEntityTooLargeException",
	    "Request body is too large", true },
	[STATUS_MISSING_AUTH] = { 400, "MissingAuthenticationTokenException",
	    "Request is missing Authentication Token", true },
	[STATUS_INCOMPLETE_SIGNATURE] = { 400, "IncompleteSignatureException",
	    "The request signature does not conform to AWS standards.", true },
	[STATUS_INVALID_SIGNATURE] = { 400, "InvalidSignatureException",
	    "The request signature we calculated does not match the signature "
	    "you provided. Check your AWS Secret Access Key and signing method. "
	    "Consult the service documentation for details.", true },
	[STATUS_UNRECOGNIZED_CLIENT] = { 400, "UnrecognizedClientException",
	    "The security token included in the request is invalid.", true },
	[STATUS_EXPIRED_TOKEN] = { 400, "ExpiredTokenException",
	    "The security token included in the request is expired", true },
};

static const struct api_error_info internal_error = {
	500, "InternalServiceError", "An error occurred on the server side.",
	false
};

const struct api_error_info *
api_error_info(enum status st)
{
	if ((unsigned)st >= STATUS__COUNT || error_table[st].type == NULL)
		return &internal_error;
	return &error_table[st];
}
