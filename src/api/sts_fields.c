/*
 * sts_fields.c: input field tables generated from the AWS model
 * (sts-2011-06-15) by scripts/gen_fields.py.  Do not edit.
 */
#include "api/sts_fields.h"

const struct field_spec sts_fields_AssumeRole[] = {
	{ "RoleArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "RoleSessionName", FIELD_STRING, 2, 64, true, false, NULL },
	{ "PolicyArns", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "Policy", FIELD_STRING, 1, -1, false, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 900, 43200, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ "TransitiveTagKeys", FIELD_STRING_LIST, -1, 50, false, false, NULL },
	{ "ExternalId", FIELD_STRING, 2, 1224, false, false, NULL },
	{ "SerialNumber", FIELD_STRING, 9, 256, false, false, NULL },
	{ "TokenCode", FIELD_STRING, 6, 6, false, false, NULL },
	{ "SourceIdentity", FIELD_STRING, 2, 64, false, false, NULL },
	{ "ProvidedContexts", FIELD_STRUCT_LIST, 1, 5, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_AssumeRoleWithSAML[] = {
	{ "RoleArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "PrincipalArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "SAMLAssertion", FIELD_STRING, 4, 100000, true, true, NULL },
	{ "PolicyArns", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "Policy", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 900, 43200, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_AssumeRoleWithWebIdentity[] = {
	{ "RoleArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "RoleSessionName", FIELD_STRING, 2, 64, true, false, NULL },
	{ "WebIdentityToken", FIELD_STRING, 4, 20000, true, true, NULL },
	{ "ProviderId", FIELD_STRING, 4, 2048, false, false, NULL },
	{ "PolicyArns", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "Policy", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 900, 43200, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_AssumeRoot[] = {
	{ "TargetPrincipal", FIELD_STRING, 12, 2048, true, false, NULL },
	{ "TaskPolicyArn", FIELD_STRUCT, -1, -1, true, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 0, 900, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_DecodeAuthorizationMessage[] = {
	{ "EncodedMessage", FIELD_STRING, 1, 10240, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetAccessKeyInfo[] = {
	{ "AccessKeyId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetCallerIdentity[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetDelegatedAccessToken[] = {
	{ "TradeInToken", FIELD_STRING, -1, -1, true, true, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetFederationToken[] = {
	{ "Name", FIELD_STRING, 2, 32, true, false, NULL },
	{ "Policy", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "PolicyArns", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 900, 129600, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetSessionToken[] = {
	{ "DurationSeconds", FIELD_INTEGER, 900, 129600, false, false, NULL },
	{ "SerialNumber", FIELD_STRING, 9, 256, false, false, NULL },
	{ "TokenCode", FIELD_STRING, 6, 6, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec sts_fields_GetWebIdentityToken[] = {
	{ "Audience", FIELD_STRING_LIST, 1, 10, true, false, NULL },
	{ "DurationSeconds", FIELD_INTEGER, 60, 3600, false, false, NULL },
	{ "SigningAlgorithm", FIELD_STRING, 5, 5, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

